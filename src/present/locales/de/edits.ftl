## /task edit and what follows from it
task-edited = Aufgabe #{ $task } geändert: { $changes }. Umfrage-Post und Meldung zeigen die Änderung.
edit-fitting = { $fitting ->
    [0] Jetzt passt niemand (außer den Zuständigen).
    [one] Jetzt passt 1 VPA.
   *[other] Jetzt passen { $fitting } VPAs.
}
edit-outdated = { $count ->
    [one] 1 VPA, die/der zugesagt oder „später“ gesagt hat, passt nicht mehr und wurde per DM informiert:
   *[other] { $count } VPAs, die zugesagt oder „später“ gesagt haben, passen nicht mehr und wurden per DM informiert:
}
edit-outdated-line = • { $who }: { $reasons }
edit-newly-fitting = { $count ->
    [one] 1 VPA passt jetzt neu und wurde noch nicht angefragt – Button unten.
   *[other] { $count } VPAs passen jetzt neu und wurden noch nicht angefragt – Button unten.
}
edit-holders = Die Zuweisung folgt den neuen Stunden und der Deadline (Auslastung mit); { $who } wurde per DM informiert.
edit-holders-unfit = ⚠️ { $who } passt nicht mehr ({ $reasons }). Du entscheidest: behalten, oder mit `/aufgabe zuruecknehmen` zurücknehmen und neu vergeben.
edit-over-hours-confirmed = Bestätigt über den Wochenstunden: { $who }.
edit-confirm-head = ⚠️ Diese Änderung von Aufgabe #{ $task } brächte Zuständige über ihre Wochenstunden:
edit-over-hours-line = • { $who }: { $load } von { $weekly } in der Woche ab { $week }
edit-confirm-foot = Erst nach deiner Bestätigung wird gespeichert (die Anfrage gilt { $minutes } Minuten).
button-edit-confirm = Trotzdem speichern
button-edit-drop = Nicht speichern
edit-unchanged = Aufgabe #{ $task } hat das schon so gespeichert – nichts geändert.
edit-dropped = Die Änderung von Aufgabe #{ $task } wurde nicht gespeichert.
edit-settled = Über diese Änderung von Aufgabe #{ $task } ist schon entschieden – nichts geändert.
edit-expired = Die Änderung von Aufgabe #{ $task } hat länger als { $minutes } Minuten auf die Bestätigung gewartet und wurde nicht gespeichert. Bitte gib `/aufgabe aendern` erneut ein.
edit-changed-meanwhile = Aufgabe #{ $task } wurde gerade anderweitig geändert; es wurde nichts gespeichert. Bitte gib die Änderung erneut ein.

## why an edit no longer fits someone
mismatch-no-competence = die Aufgabe verlangt jetzt { $competence }, das steht nicht in deinem Profil
mismatch-no-competence-other = die Aufgabe verlangt jetzt { $competence }, das steht nicht im Profil
mismatch-new-client = die Aufgabe ist jetzt ein Neukunde, und Neukunden sind im Profil abgewählt
mismatch-no-room = in der Woche ab { $week } wären es { $total } bei { $weekly } Wochenstunden
mismatch-starts-too-late = die Deadline ({ $deadline }) liegt jetzt vor dem „später ab“-Datum ({ $from })

## DMs
dm-answer-outdated = ✏️ Aufgabe #{ $task } wurde geändert und passt nicht mehr zu dir: { $reasons }. Deine Antwort gilt daher als veraltet – die Koordination weiß Bescheid. Passt es doch, sag es ihr gern direkt.
dm-held-task-changed = ✏️ Deine Aufgabe #{ $task } wurde geändert: { $changes }.
dm-held-task-unfit = Sie passt nicht mehr zu deinem Profil ({ $reasons }); die Koordination entscheidet und meldet sich.

## /survey status
status-outdated = ⚠️ veraltet: { $reasons }
button-newly-fitting = Neu Passende anfragen: { $count }
button-further = Weitere anfragen: { $count }
newly-fitting-asked = { $asked ->
    [one] 1 neu passende VPA zu Aufgabe #{ $task } angefragt (eigener Umfrage-Post).
   *[other] { $asked } neu passende VPAs zu Aufgabe #{ $task } angefragt (eigener Umfrage-Post).
}
further-asked = { $asked ->
    [one] 1 weitere passende VPA zu Aufgabe #{ $task } angefragt (eigener Umfrage-Post).
   *[other] { $asked } weitere passende VPAs zu Aufgabe #{ $task } angefragt (eigener Umfrage-Post).
}
further-left = { $left ->
    [0] Damit sind alle Passenden angefragt.
    [one] 1 weitere passt noch – erneut „Weitere anfragen“ drücken.
   *[other] { $left } weitere passen noch – erneut „Weitere anfragen“ drücken.
}
newly-fitting-none = Zu Aufgabe #{ $task } ist niemand mehr neu passend und unangefragt – nichts geändert.
wave-none = Zu Aufgabe #{ $task } sind alle Passenden schon angefragt – nichts geändert.

## assigning an outdated answer
assign-outdated = ⚠️ Die Antwort von { $who } zu Aufgabe #{ $task } ist veraltet: { $reasons }. Trotzdem zuweisen?
button-assign-anyway = Trotzdem zuweisen

## posts and notices
changed-line = ✏️ Geändert: { $changes }
