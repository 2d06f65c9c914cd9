## vpa-desk sandbox: the narration around what Discord shows
sandbox-start = == vpa-desk sandbox: der echte Bot gegen einen Discord-kompatiblen Server auf { $api }
sandbox-database =    Datenbank: { $url }
sandbox-pool-imported = Demo-Pool importiert: { $count } VPAs.
sandbox-connected = Bot verbunden, Befehle registriert: { $commands }
sandbox-coordinator = Koordination
sandbox-coordinator-key = koordination
sandbox-manager = VPA Manager
sandbox-manager-key = manager
sandbox-role-coordinator = Koordination
sandbox-role-manager = VPA Manager
sandbox-role-vpa = VPA
sandbox-no-answer = (keine Antwort vom Bot)
sandbox-done = Fertig. Selbst ausprobieren: `vpa-desk sandbox --play` (Befehle tippen, als jede Person handeln, die Uhr vorstellen). Mit `vpa-desk serve` und einem DISCORD_TOKEN läuft derselbe Bot in eurem Discord.

## Where a message appears and who sees it
sandbox-typed = ▶ [{ $time }] { $line }
sandbox-private = {"   "}── privat an { $who } (nur { $who } sieht das):
sandbox-posted-in = {"   "}── { $place }, neue Nachricht (alle dort sehen sie):
sandbox-edited-in = {"   "}── { $place }, Nachricht geändert:
sandbox-dm-posted = {"   "}── { $place }, neue Nachricht:
sandbox-dm-place = DM an { $who }
sandbox-place-head = ── { $place }:
sandbox-place-empty = {"   "}(noch keine Nachrichten)
sandbox-form-opened = {"   "}── { $who } sieht das Formular „{ $title }“ mit { $fields } – weiter mit `ausfüllen "…"`.
sandbox-file-saved = {"   "}📎 { $file } gespeichert: { $path }
sandbox-file-not-saved = {"   "}📎 { $file } ließ sich nicht nach { $path } speichern: { $error }

## The story: what the narrator says before each line
sandbox-story-task = 1. Die Koordination legt die Aufgabe eines Kunden an; der Bot fragt die passenden VPAs im Umfrage-Kanal.
sandbox-story-accept = Anna tippt „Annehmen“.
sandbox-story-react = Ben antwortet mit der Reaktion ✅ statt mit dem Button.
sandbox-story-later = Cem tippt „Später“ und gibt an, ab wann er Zeit hat.
sandbox-story-decline = Kai tippt „Ablehnen“ und wählt seinen Grund.
sandbox-story-assign = Die Koordination vergibt die Aufgabe an Anna (deutsche Befehlsnamen gehen auch).
sandbox-story-nobody = 2. Eine Aufgabe für einen Neukunden, die niemand übernimmt: Korrespondenz, nur Lena passt.
sandbox-story-window = Lena antwortet nicht; vier Stunden später schließt das Umfragefenster – der VPA Manager bekommt die Meldung mit dem Ablaufplan.
sandbox-story-extend = Die Koordination wählt Option 1 und drückt „Umfrage erweitern“.
sandbox-story-extended-accept = Dana, die sonst keine Neukunden nimmt, sagt zu.
sandbox-story-assign-2 = Die Koordination vergibt die Aufgabe an Dana.
sandbox-story-absent = 3. Anna fällt aus: sie meldet sich über die Deadline ihrer Aufgabe hinaus abwesend.
sandbox-story-confirm = Anna bestätigt; die Aufgabe geht zuerst an Ben, der sie früher angenommen hatte.
sandbox-story-take = Ben übernimmt.
sandbox-story-vt-stop = 4. Greta setzt einen VT-Stop: nur noch 9 VPAs sind für Neukunden frei, der Pool fällt unter sein Minimum.
sandbox-story-vt-stop-off = Greta beendet den VT-Stop wieder: der Pool ist wieder gesund.
sandbox-story-report = 5. Der VPA Manager holt sich den Pool-Bericht mit Diagramm.

## The story's typed lines (as a newcomer would type them with --play)
sandbox-story-task-line = /task new client:"Kanzlei Berger" competence:research hours:8 deadline:{ $deadline } description:"Lieferanten-Recherche für den Einkauf, ca. 30 Firmen"
sandbox-story-accept-line = als anna annehmen 1
sandbox-story-react-line = als ben reagiere 1 ✅
sandbox-story-later-line = als cem später 1 { $day }
sandbox-story-decline-line = als kai ablehnen 1 keine Kapazität
sandbox-story-assign-line = /aufgabe vergeben nummer:1 vpa:anna
sandbox-story-nobody-line = /task new client:"Praxis Neumann" competence:correspondence hours:6 deadline:{ $deadline } new_client:ja
sandbox-story-window-line = zeit +4h
sandbox-story-extend-line = drücke "Umfrage erweitern"
sandbox-story-extended-accept-line = als dana annehmen 2
sandbox-story-assign-2-line = /task assign id:2 vpa:dana
sandbox-story-absent-line = als anna /profile absent from:{ $from } until:{ $until }
sandbox-story-confirm-line = als anna drücke "Bestätigen"
sandbox-story-take-line = als ben drücke "Übernehmen"
sandbox-story-vt-stop-line = als greta /profile vt-stop until:{ $until }
sandbox-story-vt-stop-off-line = als greta /profile vt-stop until:aus
sandbox-story-report-line = als manager /report kind:pool

## --play: the words a line starts with (comma-separated: each works), and the places
sandbox-verbs-as = als
sandbox-verbs-help = hilfe, ?
sandbox-verbs-quit = ende, tschüss
sandbox-verbs-accept = annehmen
sandbox-verbs-decline = ablehnen
sandbox-verbs-later = später, spaeter
sandbox-verbs-react = reagiere, reagieren
sandbox-verbs-press = drücke, druecke, drücken
sandbox-verbs-choose = wähle, waehle, wählen
sandbox-verbs-fill = ausfüllen, ausfuellen
sandbox-verbs-time = zeit
sandbox-verbs-show = zeige, zeigen
sandbox-verbs-members = mitglieder
sandbox-places-manager = manager
sandbox-places-surveys = umfragen
sandbox-places-newbies = neulinge
sandbox-places-dm = dm

## --play: the prompt
sandbox-play-start =
    Du bist am Zug. Tippe `hilfe` für alle Möglichkeiten, `ende` zum Beenden. Beispiele:
      /task new client:"Kanzlei Berger" competence:research hours:8 deadline:08.12.2026
      als anna annehmen 1
      zeit +4h
sandbox-prompt = [{ $time }] > {""}
sandbox-help =
    Was du tippen kannst (als Koordination, wenn nicht anders gesagt):
      /BEFEHL … OPTION:WERT    ein Slash-Befehl wie in Discord, z. B. /task new client:"Kanzlei Berger" competence:research hours:8 deadline:08.12.2026 (auch deutsch: /aufgabe neu kunde:…)
      als NAME …               als jemand anderes handeln, z. B. als anna /profile show
      annehmen N               auf den neuesten Post zu Aufgabe N mit „Annehmen“ antworten
      ablehnen N GRUND         „Ablehnen“ und den Grund wählen, z. B. ablehnen 1 keine Kapazität
      später N DATUM           „Später“ mit dem Datum, ab dem Zeit ist
      reagiere N ✅            mit einer Reaktion antworten (✅ ❌ ⏳)
      drücke "LABEL"           den Button mit dieser Beschriftung auf der neuesten Nachricht drücken, die ihn hat
      wähle "LABEL"            im neuesten Auswahlmenü wählen (mehrere: wähle "A" "B")
      ausfüllen "WERT"         das offene Formular ausfüllen und senden
      zeit +4h                 die Uhr der Sandbox vorstellen (m, h, d), damit Fenster schließen und Timer laufen
      zeige manager            einen Kanal zeigen: manager, umfragen, neulinge, oder zeige dm NAME
      mitglieder               wer auf dem Demo-Server ist
      ende                     beenden
sandbox-member-line = {"  "}{ $key } – { $name } ({ $role })
sandbox-as-usage = So geht es: als NAME BEFEHL, z. B. als anna annehmen 1. Mitglieder: { $members }
sandbox-unknown-member = „{ $name }“ ist niemand auf dem Demo-Server. Mitglieder: { $members }
sandbox-unknown-line = „{ $line }“ verstehe ich nicht. `hilfe` zeigt, was geht.
sandbox-accept-usage = So geht es: annehmen N – N ist die Nummer der Aufgabe, z. B. annehmen 1.
sandbox-decline-usage = So geht es: ablehnen N GRUND – z. B. ablehnen 1 keine Kapazität (ohne Grund: nur „Ablehnen“).
sandbox-later-usage = So geht es: später N DATUM – z. B. später 1 04.12.2026.
sandbox-react-usage = So geht es: reagiere N ✅ (oder ❌, ⏳) – z. B. reagiere 1 ✅.
sandbox-no-survey = Zu Aufgabe #{ $task } gibt es keine offene Umfrage mit diesem Button.
sandbox-unknown-reason = Den Grund „{ $input }“ gibt es nicht. Möglich: { $reasons }
sandbox-press-usage = So geht es: drücke "LABEL" – z. B. drücke "Umfrage erweitern".
sandbox-no-button = { $who } sieht keinen Button „{ $label }“. Buttons, die { $who } sieht: { $labels }
sandbox-choose-usage = So geht es: wähle "LABEL" – z. B. wähle "keine Kapazität".
sandbox-no-option = Kein Auswahlmenü bietet „{ $label }“.
sandbox-no-form = Bei { $who } ist kein Formular offen.
sandbox-time-now = Es ist { $time } (Uhr der Sandbox). Vorstellen mit zeit +4h.
sandbox-time-usage = „{ $input }“ ist kein Zeitschritt. So geht es: zeit +30m, zeit +4h, zeit +1d4h (höchstens 60 Tage).
sandbox-time-moved = {"   "}⏩ Die Uhr springt von { $from } auf { $to }.
sandbox-show-usage = So geht es: zeige manager, zeige umfragen, zeige neulinge oder zeige dm NAME. Mitglieder: { $members }

## --play: what Discord's client says before it sends anything
sandbox-client-empty = Discord: Tippe nach „/“ einen Befehl.
sandbox-client-unknown-command = Discord: Den Befehl „/{ $input }“ gibt es auf diesem Server nicht. Befehle: { $known }
sandbox-client-not-allowed = Discord: { $command } ist für dich auf diesem Server nicht freigegeben.
sandbox-client-needs-subcommand = Discord: { $command } braucht einen Unterbefehl: { $known }
sandbox-client-unknown-subcommand = Discord: { $command } hat keinen Unterbefehl „{ $input }“. Möglich: { $known }
sandbox-client-unknown-option = Discord: { $command } hat keine Option „{ $input }“. Optionen: { $known }
sandbox-client-value-without-option = Discord: „{ $input }“ gehört zu keiner Option – schreibe OPTION:WERT. Optionen von { $command }: { $known }
sandbox-client-twice = Discord: Die Option „{ $option }“ ist doppelt angegeben.
sandbox-client-missing = Discord: Die Option „{ $option }“ ist erforderlich.
sandbox-client-blank = Discord: Die Option „{ $option }“ ist leer.
sandbox-client-not-integer = Discord: „{ $input }“ ist keine ganze Zahl (Option „{ $option }“).
sandbox-client-not-number = Discord: „{ $input }“ ist keine Zahl (Option „{ $option }“).
sandbox-client-not-boolean = Discord: Für „{ $option }“ gibt es nur True oder False (ja/nein), nicht „{ $input }“.
sandbox-client-not-choice = Discord: „{ $input }“ steht für „{ $option }“ nicht zur Wahl. Möglich: { $known }
sandbox-client-too-small = Discord: „{ $option }“ muss mindestens { $min } sein.
sandbox-client-too-large = Discord: „{ $option }“ darf höchstens { $max } sein.
sandbox-client-too-short = Discord: „{ $option }“ braucht mindestens { $min } Zeichen.
sandbox-client-too-long = Discord: „{ $option }“ darf höchstens { $max } Zeichen haben.
sandbox-client-not-member = Discord: „{ $input }“ ist kein Mitglied dieses Servers (Option „{ $option }“). Mitglieder: { $members }
