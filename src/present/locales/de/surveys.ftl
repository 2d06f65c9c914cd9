## The survey post
survey-headline-assigned = ✅ **Aufgabe #{ $task } – vergeben** ({ $area } · { $competence })
survey-headline-cancelled = ✖️ **Aufgabe #{ $task } – abgebrochen** ({ $area } · { $competence })
survey-headline-split = ✂️ **Aufgabe #{ $task } – aufgeteilt**: die Teile werden eigens angefragt ({ $area } · { $competence })
survey-headline-external = ↗️ **Aufgabe #{ $task } – extern vergeben** ({ $area } · { $competence })
survey-headline-closed = ⌛ **Aufgabe #{ $task } – Umfrage beendet, noch nicht vergeben** ({ $area } · { $competence })
survey-headline-closed-more = Antworten sind weiterhin möglich.
survey-headline-open = 📋 **Neue Aufgabe #{ $task }** – { $area } · { $competence }
survey-headline-open-more = Wer kann übernehmen? Antworte mit den Buttons oder mit ✅ ❌ ⏳.
survey-title = Aufgabe #{ $task }
survey-field-area = Bereich
survey-field-competence = Kompetenz
survey-field-hours = Stunden
survey-field-new-client = Neukunde
survey-field-changed = ✏️ Geändert
survey-field-description = Beschreibung
survey-counts = Antworten: ✅ { $accepted } · ❌ { $declined } · ⏳ { $later } · noch offen { $open } von { $surveyed } Angefragten

## Buttons, selects and forms (labels at most 80, form titles and labels at most 45 characters)
button-accept = Annehmen
button-decline = Ablehnen
button-later = Später
button-give-reason = Grund angeben
button-give-date = Datum angeben
button-add-note = Begründung ergänzen
modal-note-title = Begründung ergänzen
modal-note-label = Begründung (optional)
modal-later-title = Später – ab wann hättest du Zeit?
modal-later-label = Ab Datum (TT.MM.JJJJ oder JJJJ-MM-TT)
modal-later-placeholder = 24.12.2026
select-reason-placeholder = Grund der Absage wählen
choose-reason = Schade! Warum passt es nicht? Wähle einen Grund:

## Answers
answer-accepted = Danke! Du hast Aufgabe #{ $task } angenommen. Die Koordination meldet sich bei dir.
answer-declined = Danke für die Rückmeldung. Absage zu Aufgabe #{ $task } gespeichert: { $reason }.
answer-declined-note = Danke für die Rückmeldung. Absage zu Aufgabe #{ $task } gespeichert: { $reason } – „{ $note }“.
answer-later-from = Danke! Gespeichert: Aufgabe #{ $task } könntest du ab { $from } übernehmen.
answer-later = Danke! Gespeichert: Aufgabe #{ $task } später.
answer-not-surveyed = (Hinweis: Du warst für diese Aufgabe nicht angefragt; deine Antwort ist vermerkt.)
answer-unchanged = Deine Antwort zu Aufgabe #{ $task } war schon gespeichert – nichts geändert.
answer-task-closed = Aufgabe #{ $task } ist { $status } – Antworten werden nicht mehr angenommen.
later-date-invalid = „{ $input }“ ist kein gültiges Datum. Erlaubt sind TT.MM.JJJJ (z. B. 24.12.2026) oder JJJJ-MM-TT (z. B. 2026-12-24). Es wurde nichts gespeichert.
later-date-past = Das Datum { $day } liegt in der Vergangenheit. Erlaubt ist heute ({ $today }) oder ein späterer Tag. Es wurde nichts gespeichert.

## Direct messages about answers
dm-accepted-for-coordinator = ✅ <@{ $vpa }> ({ $name }) hat Aufgabe #{ $task } angenommen. Mit `/survey status task:{ $task }` siehst du alle Antworten.
dm-accepted-for-coordinator-unsurveyed = ✅ <@{ $vpa }> ({ $name }) (war nicht angefragt) hat Aufgabe #{ $task } angenommen. Mit `/survey status task:{ $task }` siehst du alle Antworten.
dm-ask-decline-reason = Du hast Aufgabe #{ $task } mit ❌ abgelehnt – danke! Magst du uns kurz sagen, warum? Das hilft uns, Aufgaben besser zu verteilen.
dm-ask-later-date = Du hast bei Aufgabe #{ $task } mit ⏳ geantwortet. Ab wann hättest du Zeit? Mit dem Datum können wir beim Kunden nach einer späteren Deadline fragen.

## /survey status
status-head = **Aufgabe #{ $task }** – { $area } · { $competence } · { $hours } · { $status } – { $rounds ->
    [one] 1 Umfragerunde
   *[other] { $rounds } Umfragerunden
}
status-accepted = ✅ **Angenommen ({ $count })**
status-later = ⏳ **Später ({ $count })**
status-declined = ❌ **Abgelehnt ({ $count })**
status-no-answer = … **Ohne Antwort ({ $count })**
status-line-utilization = • { $who } – Auslastung { $utilization }
status-line-later-from = • { $who } – ab { $from }
status-line-later-open = • { $who } – Datum offen
status-line-declined = • { $who } – { $reason }
status-line-declined-note = • { $who } – { $reason } – „{ $note }“
status-not-surveyed = (nicht angefragt)
select-assign-placeholder = VPA auswählen und Aufgabe vergeben
select-assign-option = { $mark } { $name } – Auslastung { $utilization }
form-too-late = Das Formular ließ sich nicht mehr rechtzeitig öffnen. Tippe den Button bitte noch einmal.

## Who was left out of a task's surveys, and why
button-left-out = Wer nicht angefragt wurde – und warum
left-out-head = **Nicht angefragt bei Aufgabe #{ $task }** (Stand heute): { $without } VPAs ohne die Kompetenz; von den { $holders } mit der Kompetenz:
left-out-fitting = • passend, aber in keiner Runde erwähnt ({ $count }): { $people }
left-out-line = • { $reason } ({ $count }): { $people }
left-out-more = und { $count } weitere
left-out-vt-stop = VT-Stop
left-out-absent = abwesend
left-out-no-room = keine Kapazität
