## The command line: its mistakes, `vpa-desk outbox`
cli-not-a-day = „{ $input }“ ist kein Datum (erlaubt: JJJJ-MM-TT oder TT.MM.JJJJ)
cli-not-an-id = „{ $input }“ ist keine Eintragsnummer (erlaubt: eine ganze Zahl ab 1, wie `vpa-desk outbox` sie zeigt)
cli-not-a-discord-id = „{ $value }“ ist keine Discord-ID (erlaubt: die Zahl, die Discord mit Rechtsklick auf die Person → ID kopieren zeigt, z. B. 123456789012345001)
forget-cli-ask = Nichts gelöscht. Zum Löschen: `vpa-desk forget { $vpa } --yes`
cli-error = Fehler: { $error }
cli-bad-value = Ungültiger Wert für { $arg }: { $reason }
cli-missing-value = { $arg } braucht einen Wert.
cli-bad-choice = Ungültiger Wert „{ $value }“ für { $arg } (erlaubt: { $allowed }).
cli-unknown-argument = Unbekannte Angabe „{ $arg }“.
cli-unknown-argument-suggest = Unbekannte Angabe „{ $arg }“ – gemeint ist wohl { $suggested }.
cli-conflict = { $arg } und { $other } schließen sich aus: bitte nur eins davon.
cli-repeated = { $arg } darf nur einmal angegeben werden.
cli-unknown-command = Unbekannter Befehl „{ $command }“ (erlaubt: { $commands }).
cli-missing-argument = Es fehlt: { $args }.
cli-wrong-number = Falsche Anzahl Werte für { $arg }.
cli-usage = Aufruf: { $usage } (--help zeigt, was erlaubt ist)
cli-usage-none = `vpa-desk --help` zeigt, was erlaubt ist.

outbox-none = Keine nicht zugestellten Nachrichten.
outbox-failed-title = { $count ->
    [one] 1 nicht zugestellte Nachricht:
   *[other] { $count } nicht zugestellte Nachrichten:
}
outbox-failed-line = #{ $id }  { $what }{ $task } — { $attempts ->
    [one] 1 Versuch
   *[other] { $attempts } Versuche
}, aufgegeben am { $at }
outbox-failed-task = {" "}zu Aufgabe #{ $task }
outbox-failed-error = {"    "}letzte Antwort: { $error }
outbox-failed-hint = Ursache beheben (z. B. die Berechtigung im Kanal), dann `vpa-desk outbox --requeue ID` für eine oder `vpa-desk outbox --requeue-all` für alle.
outbox-requeued = { $count ->
    [0] Keine nicht zugestellten Nachrichten: nichts neu eingereiht.
    [one] 1 Nachricht neu eingereiht: Der Bot stellt sie innerhalb weniger Sekunden zu.
   *[other] { $count } Nachrichten neu eingereiht: Der Bot stellt sie innerhalb weniger Sekunden zu.
}
outbox-not-failed = Nicht unter den nicht zugestellten Nachrichten: { $ids }. { $failed } Nichts wurde neu eingereiht.
outbox-not-failed-these = Nicht zugestellt sind: { $ids }.
outbox-not-failed-none = Es gibt keine nicht zugestellten Nachrichten.

## --help
cli-help-usage = Aufruf:
cli-help-commands = Befehle
cli-help-options = Optionen
cli-help-arguments = Angaben
cli-help = vpa-desk hält den Bedarf der Kund:innen durch den Pool der virtuellen persönlichen Assistent:innen (VPAs) gedeckt.
cli-help-help = Diese Hilfe zeigen.
cli-help-version = Die Version zeigen.
cli-help-config = Ordner mit default.toml und competences.toml (ohne: ./config, sonst die eingebauten Vorgaben).
cli-help-database_url = Die SQLite-Datenbank; wird angelegt, wenn sie fehlt.
cli-help-import-vpas = VPAs aus einer CSV-Datei importieren oder aktualisieren (alle Zeilen oder keine).
cli-help-import-vpas-file = Die CSV-Datei (Kopfzeile: discord_id,name,weekly_hours,…).
cli-help-pool = Pool-Gesundheit zeigen: für Neukunden verfügbare VPAs, gesamt und je Bereich.
cli-help-pool-json = JSON statt einer Tabelle ausgeben.
cli-help-pool-date = Stand an diesem Tag (JJJJ-MM-TT oder TT.MM.JJJJ); ohne: heute.
cli-help-outbox = Nachrichten, die der Bot nicht zustellen konnte: auflisten oder nach behobener Ursache neu einreihen (der laufende Bot nimmt sie in Sekunden auf).
cli-help-outbox-requeue = Diesen Eintrag neu einreihen (die Nummer aus der Liste; mehrfach möglich).
cli-help-outbox-requeue_all = Alle nicht zugestellten Einträge neu einreihen.
cli-help-outbox-json = Die Liste als JSON statt als Text ausgeben.
cli-help-backup = Eine in sich stimmige Kopie der Datenbank nach DATEI schreiben – auch während der Bot läuft; die Kopie wird geprüft.
cli-help-backup-file = Die Kopie (darf noch nicht existieren).
cli-help-forget = Die personenbezogenen Daten einer (deaktivierten) VPA löschen: zeigt, was gelöscht wird und was anonym bleibt; mit --yes wird gelöscht.
cli-help-forget-vpa = Die Discord-ID der VPA.
cli-help-forget-yes = Löschen, ohne noch einmal zu fragen.
cli-help-export = Den Pool (im Importformat, mit absent_from und active) oder die Aufgaben mit ihren Zeiten als CSV exportieren.
cli-help-export-what = Was: pool oder tasks.
cli-help-export-file = Die CSV-Datei, die geschrieben wird.
cli-help-check = Den Discord-Server prüfen, den die Konfiguration nennt: Kanäle, Rollen, die Rechte des Bots (Exit-Code 1, wenn etwas zu beheben ist).
cli-help-serve = Den Discord-Bot starten.
cli-help-sandbox = Den Bot ohne Discord-Konto ausprobieren: der echte Bot gegen einen eingebauten Discord-kompatiblen Server auf loopback, mit Demo-Pool und einem gespielten Vormittag der Agentur.
cli-help-sandbox-play = Statt der Geschichte: eine Eingabe, in der du als jede Person handelst und die Uhr vorstellst.
cli-help-sandbox-out = Ordner für die Dateien, die der Bot schickt (das Diagramm eines Berichts); ohne: ein neuer temporärer Ordner.
cli-relay-failed = Die Verbindung zu { $base } lässt sich nicht vorbereiten (erlaubt ist eine Adresse http://… oder https://…): { $error }
cli-output-failed = Die Ausgabe lässt sich nicht schreiben: { $reason }
cli-output-full = kein Platz mehr auf dem Gerät
