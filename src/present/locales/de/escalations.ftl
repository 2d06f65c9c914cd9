## The notice in the manager channel
notice-head = 🚨 **Bedarf nicht gedeckt – Aufgabe #{ $task }** ({ $area } · { $competence })
urgency-immediate = 🔴 Backoffice/Sekretariat: bitte umgehend kümmern.
urgency-may-wait = 🟡 Marketing: gemeldet; der Kunde kann ggf. einige Tage warten.
urgency-may-not-be-coverable = 🟣 Spezialbereich: gemeldet – evtl. nicht abdeckbar.
notice-task = **Aufgabe:** { $hours } · { $deadline_label } { $deadline } · Neukunde: { $new_client } · Status: { $status }
notice-created-by = {" "}· angelegt von <@{ $by }>
notice-round = **Umfrage { $round }:** { $surveyed } angefragt · ✅ { $accepted } angenommen · ⏳ { $later } später · ❌ { $declined } abgelehnt{ $reasons } · { $open } ohne Antwort
notice-reason = { $reason } { $count }
notice-pool = **Pool { $area }:** { $available } verfügbar für Neukunden (von { $vpas } VPAs; VT-Stop { $vt_stop }, abwesend { $absent }) · gesamt { $total } von mindestens { $minimum }{ $warning }
notice-causes = **Anlass:** { $causes }
notice-causes-more = { $shown } · und { $more } frühere
cause-round-failed = Umfrage ohne Zusage beendet
cause-nobody-fits = beim Anlegen passte kein VPA
cause-reported = gemeldet
cause-reported-by = gemeldet von <@{ $by }>
cause-note = { $cause }: „{ $note }“
cause-accepted-unassigned = Zusagen da, aber nach einem weiteren Fenster nicht vergeben
cause-at = { $at } – { $what }

## The re-ping in a reply
ping-quiet-hours = Aufgabe #{ $task }: nicht gedeckter Bedarf, gemeldet während der Ruhezeit – siehe oben.
ping-accepted-unassigned = Aufgabe #{ $task }: es gibt Zusagen, aber die Aufgabe ist weiterhin nicht vergeben.
ping-reported = Aufgabe #{ $task }: die Koordination meldet den Bedarf erneut.
ping-round-failed = Aufgabe #{ $task }: auch die nächste Umfrage endete ohne Zusage.

## /demand report
demand-reported = Aufgabe #{ $task } ist an den VPA Manager gemeldet.
demand-reported-again = Aufgabe #{ $task } war schon gemeldet; die Meldung ist ergänzt und der VPA Manager erneut benachrichtigt.
note-too-long = Der Hinweis ist zu lang: höchstens { $max } Zeichen. Es wurde nichts gemeldet.

## To the coordinator
dm-accepted-but-unassigned = ⏰ Die Umfrage zu Aufgabe #{ $task } ist beendet: { $accepted ->
    [one] 1 VPA hat angenommen
   *[other] { $accepted } VPAs haben angenommen
}, aber die Aufgabe ist noch nicht vergeben. Bitte vergib sie mit `/survey status task:{ $task }` – sonst geht sie nach einem weiteren Umfragefenster an den VPA Manager.
notice-reasons = {" "}({ $reasons })
notice-pool-warning = {" "}⚠️
