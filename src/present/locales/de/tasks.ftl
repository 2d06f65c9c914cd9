## Problems of a task draft (one line each)
task-problem-empty-client = Der Kunde fehlt: gib einen Namen oder ein Kürzel für den Kunden an.
task-problem-client-too-long = Der Kundenname ist zu lang ({ $chars } Zeichen); erlaubt sind höchstens { $max } Zeichen.
task-problem-unknown-competence = Die Kompetenz „{ $input }“ gibt es im Katalog nicht. Meintest du: { $suggestions }? Wähle eine Kompetenz aus der Vorschlagsliste.
task-problem-hours = Die Stunden ({ $hours }) liegen außerhalb des erlaubten Bereichs: erlaubt sind { $min } bis { $max }.
task-problem-deadline-unreadable = Die Deadline „{ $input }“ ist kein gültiges Datum. Erlaubt sind JJJJ-MM-TT (z. B. 2026-12-24) oder TT.MM.JJJJ (z. B. 24.12.2026).
task-problem-deadline-past = Die Deadline { $deadline } liegt in der Vergangenheit. Erlaubt ist heute ({ $today }) oder ein späterer Tag.
task-problem-description-too-long = Die Beschreibung ist zu lang ({ $chars } Zeichen); erlaubt sind höchstens { $max } Zeichen.
task-invalid = Die Aufgabe wurde nicht angelegt:

## Creating a task
task-created = Aufgabe #{ $task } angelegt. { $surveyed ->
    [one] 1 passende VPA angefragt.
   *[other] { $surveyed } passende VPAs angefragt.
}
task-created-more = { $more ->
    [one] 1 weitere passende VPA wird nach der Hälfte des Umfragefensters angefragt, wenn bis dahin niemand zugesagt hat.
   *[other] { $more } weitere passende VPAs: die nächsten werden nach der Hälfte des Umfragefensters angefragt, wenn bis dahin niemand zugesagt hat (danach per „Umfrage erweitern“).
}
task-created-link = Umfrage: { $link }
task-created-posting = Die Umfrage wird gerade gepostet.
task-post-delayed = Aufgabe #{ $task } angelegt, { $surveyed ->
    [one] 1 VPA wird angefragt.
   *[other] { $surveyed } VPAs werden angefragt.
} Discord ist gerade langsam: die Umfrage wird gepostet, sobald es wieder geht – es geht nichts verloren.
task-nobody-fits = Aufgabe #{ $task } angelegt, aber **kein VPA passt** gerade (Kompetenz, VT-Stop, Abwesenheit, Zeitplanung oder Kapazität). Es wurde keine Umfrage gepostet. Melde den Bedarf beim VPA Manager.

## Refusals
task-unknown = Eine Aufgabe #{ $task } gibt es nicht. `/task list` zeigt die offenen Aufgaben.
task-wrong-status = Aufgabe #{ $task } ist { $status } – das geht in diesem Zustand nicht.
task-not-a-vpa = <@{ $vpa }> hat kein VPA-Profil und kann keine Aufgaben bekommen.
task-already-assigned = <@{ $vpa }> hat Aufgabe #{ $task } schon.
task-not-assigned = <@{ $vpa }> hat Aufgabe #{ $task } nicht.
task-cancel-reason-invalid = Gib einen Grund für den Abbruch an (1 bis { $max } Zeichen). Es wurde nichts geändert.
task-external-note-invalid = Gib an, an wen oder warum die Aufgabe extern vergeben wird (1 bis { $max } Zeichen). Es wurde nichts geändert.
task-edit-nothing = Gib mindestens eines an: deadline, hours oder description. Es wurde nichts geändert.

## Assigning and closing
task-assigned = Aufgabe #{ $task } ist an <@{ $vpa }> ({ $name }) vergeben. Auslastung diese Woche jetzt: { $utilization }. Der Umfrage-Post zeigt „vergeben“, die VPA bekommt eine DM.
task-assigned-concerns = ⚠️ Hinweis: eigentlich passt es nicht – { $concerns }.
task-unassigned = <@{ $vpa }> hat Aufgabe #{ $task } nicht mehr; die Stunden sind wieder frei. Status jetzt: { $status }.
task-closed = Aufgabe #{ $task } ist jetzt { $status }.
dm-assigned = 🎉 Du hast Aufgabe #{ $task } bekommen: { $area } · { $competence } · { $hours } · Deadline { $deadline } · Kunde: { $client }.
dm-assigned-description = Beschreibung: { $description }
dm-assigned-end = Die Koordination meldet sich mit den Details.
dm-unassigned = Aufgabe #{ $task } wurde dir wieder abgenommen; die Stunden sind in deiner Zeitplanung wieder frei.

## /task show
task-details-head = **Aufgabe #{ $task }** – { $status }
task-details-facts = Kunde: { $client } · { $area } · { $competence } · { $hours } · { $deadline_label } { $deadline } · Neukunde: { $new_client }
task-details-parts = Aufgeteilt in: { $parts }
task-details-part-line = #{ $task } ({ $hours }, { $status })
task-details-description = Beschreibung: { $description }
task-details-assignees = Vergeben an: { $assignees }
task-details-round = Umfrage { $n }: { $counts }
task-details-history = Verlauf (UTC): { $entries }
task-details-part = Teil { $index }/{ $count } von Aufgabe #{ $parent }
label-deadline = Deadline
label-start-by = Start bis
label-start-latest = Start spätestens

## History entries
history-round-first = erste Umfrage
history-round-extended = erweiterte Umfrage
history-round-related = Umfrage unter verwandter Kompetenz
history-round-split = Umfrage einer Teilaufgabe
history-escalated = gemeldet: { $cause }
history-unassigned = Zuweisung aufgehoben
history-split = aufgeteilt in { $parts }
history-edited-deadline = Deadline { $before } → { $after }
history-edited-hours = Stunden { $before } → { $after }
history-edited-competence = Kompetenz { $before } → { $after }
history-edited-new-client = Neukunde { $before } → { $after }
history-edited-description = Beschreibung geändert
history-unchanged = unverändert

## /task list
task-list-empty = Kein offener Bedarf – alle Aufgaben sind vergeben. 🎉
task-list-head = **Offener Bedarf: { $count ->
    [one] 1 Aufgabe**
   *[other] { $count } Aufgaben**
}
task-list-line = • #{ $task } { $competence } · { $hours } · DL { $deadline } · { $status } · seit { $since }

