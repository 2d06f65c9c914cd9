## When a VPA drops out (absence or deactivation): tasks handed on

dropout-task-facts = #{ $task } ({ $area } · { $competence } · { $hours } · { $deadline_label } { $deadline })
dropout-gap-until = vom { $from } bis { $until }
dropout-gap-open = ab { $from }, ohne Enddatum
dropout-cover-until = Vertretung vom { $from } bis { $until }
dropout-cover-open = Vertretung ab { $from } bis zur Rückkehr

dropout-confirm-head = { $cause ->
    [deactivated] Wenn <@{ $vpa }> deaktiviert wird, gehen diese Aufgaben an andere:
   *[absent] Während der Abwesenheit von <@{ $vpa }> ({ $gap }) gehen diese Aufgaben an andere:
}
dropout-confirm-line-for-good = • { $facts }: wird weitergegeben
dropout-confirm-line-cover = • { $facts }: { $cover }, danach wieder bei der bisherigen VPA
dropout-confirm-ask = Gespeichert wird erst mit „Bestätigen“. Jede Aufgabe geht dann zuerst an VPAs, die sie früher angenommen hatten (nacheinander), sonst an eine neue Umfrage; die Koordination erfährt es per DM.
button-dropout-confirm = Bestätigen
button-dropout-call-off = Abbrechen
dropout-called-off = Abgebrochen – nichts wurde gespeichert.
dropout-confirm-not-yours = Diese Bestätigung gehört zur Anfrage von jemand anderem; bitte gib den Befehl selbst ein.

dropout-handed-on-head = **Weitergegeben:**
dropout-step-offered = #{ $task }{ $cover }: <@{ $to }> angeboten (hatte zuvor angenommen)
dropout-step-round = #{ $task }{ $cover }: neue Umfrage an { $surveyed } passende VPAs
dropout-step-nobody = #{ $task }{ $cover }: niemand passt – an den VPA Manager gemeldet

dm-handed-on-for-coordinator = { $cause ->
    [deactivated] <@{ $vpa }> wurde deaktiviert. Deine Aufgaben bei dieser Person und was der Bot getan hat:
   *[absent] <@{ $vpa }> ist abwesend. Deine Aufgaben bei dieser Person und was der Bot getan hat:
}
dm-handed-on-for-vpa = { $cause ->
    [deactivated] Dein Profil wurde deaktiviert. Diese Aufgaben wurden weitergegeben:
   *[absent] Deine Abwesenheit wurde eingetragen. Diese Aufgaben wurden für die Zeit weitergegeben:
}
dm-hand-on-offer = Hallo! Du hattest Aufgabe { $facts } angenommen – sie ist wieder frei{ $cover }. Möchtest du sie übernehmen? Das Angebot gilt bis { $until }; danach fragen wir die nächste Person.
button-offer-take = Übernehmen
button-offer-decline = Nein danke
dm-taken-over-for-coordinator = <@{ $vpa }> hat Aufgabe #{ $task } übernommen (bisher <@{ $holder }>). Rückgängig machen kannst du das mit `/task unassign`.
dm-cover-back = Willkommen zurück! Die wiederkehrende Aufgabe #{ $task } ist ab dieser Woche wieder deine; die Vertretung endet.

offer-took = Danke! Aufgabe #{ $task } gehört jetzt dir – die Details mit dem Kundennamen kommen per DM.
offer-declined = Alles klar, danke für die schnelle Antwort – wir fragen die nächste Person.
offer-not-yours = Dieses Angebot gilt einer anderen Person.
offer-gone-answered = Auf dieses Angebot für Aufgabe #{ $task } hast du schon geantwortet.
offer-gone-lapsed = Die Zeit für dieses Angebot ist abgelaufen; Aufgabe #{ $task } wurde der nächsten Person angeboten.
offer-gone-taken = Aufgabe #{ $task } ist schon vergeben.
offer-gone-closed = Aufgabe #{ $task } ist abgeschlossen.

history-handed-on = { $cause ->
    [deactivated] weitergegeben: <@{ $vpa }> deaktiviert
   *[absent] weitergegeben: <@{ $vpa }> abwesend
}
history-handed-on-cover = { $cover }: <@{ $vpa }> abwesend
history-taken-over = übernommen von <@{ $vpa }>
history-cover-returned = wieder bei <@{ $vpa }>

task-details-hand-overs = **Übergaben:**
task-details-hand-over = • { $when }: <@{ $vpa }> { $cause ->
    [deactivated] deaktiviert
   *[absent] abwesend
}{ $cover } → { $state }{ $returned }
hand-over-state-offering = Warteliste wird gefragt
hand-over-state-round = neue Umfrage
hand-over-state-taken = übernommen von <@{ $by }>
hand-over-state-closed = beendet
hand-over-returned = , zurück seit { $on }

survey-hand-over = 🔁 Neu zu besetzen: die bisher zuständige VPA fällt aus.
survey-hand-over-cover = 🔁 { $cover } (die bisher zuständige VPA ist abwesend).
