## vpa-desk sandbox: the narration around what Discord shows
sandbox-start = == vpa-desk sandbox: der echte Bot gegen einen Discord-kompatiblen Server auf { $api }
sandbox-database =    Datenbank: { $url }
sandbox-pool-imported = Demo-Pool importiert: { $count } VPAs.
sandbox-connected = Bot verbunden, Befehle registriert: { $commands }
sandbox-coordinator-creates = -- Koordination: /task new client:"Kanzlei Berger" competence:research hours:8 deadline:{ $deadline }
sandbox-demo-description = Lieferanten-Recherche für den Einkauf, ca. 30 Firmen
sandbox-private-to = {"   "}(privat an { $who }) { $text }
sandbox-dm-to = {"   "}(DM an { $who })
sandbox-post = -- Post im Umfrage-Kanal:
sandbox-anna-accepts = -- Anna tippt „Annehmen“
sandbox-ben-reacts = -- Ben reagiert mit ❌
sandbox-cem-later = -- Cem tippt „Später“ und gibt { $day } ein
sandbox-post-live = -- Der Post zeigt die Antworten live:
sandbox-coordinator-dm = -- DM an die Koordination:
sandbox-coordinator = Koordination
sandbox-no-answer = (keine Antwort)
sandbox-done = Fertig. Mit `vpa-desk serve` und einem DISCORD_TOKEN läuft derselbe Bot in eurem Discord.
