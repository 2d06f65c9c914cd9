## The set-up check (`vpa-desk check`, and at `serve` start)
setup-clean = ✅ Einrichtung geprüft: Server „{ $guild }“ – alle konfigurierten Kanäle und Rollen sind da, der Bot darf überall, was er braucht, und kann die Manager-Rolle pingen.
setup-head = { $count ->
    [one] ⚠️ Einrichtung: 1 Problem – bitte beheben:
   *[other] ⚠️ Einrichtung: { $count } Probleme – bitte beheben:
}
setup-guild-unreachable = ❌ Der Server { $guild } ist nicht erreichbar ({ $error }). Prüfe `discord.guild_id` in config/default.toml und ob der Bot eingeladen ist (OAuth2-Link mit den Scopes bot und applications.commands).
setup-channel-missing = ❌ Den Kanal `discord.{ $key }` = { $id } gibt es auf dem Server nicht. Lege ihn an oder trage die richtige ID ein (Rechtsklick auf den Kanal → ID kopieren; dafür Benutzereinstellungen → Erweitert → Entwicklermodus).
setup-channel-not-text = ❌ `discord.{ $key }` = #{ $name } ist kein Textkanal (Discord-Typ { $kind }). Wähle einen Textkanal.
setup-role-missing = ❌ Die Rolle `discord.{ $key }` = { $id } gibt es nicht. Servereinstellungen → Rollen: anlegen oder die richtige ID eintragen (Rechtsklick auf die Rolle → ID kopieren).
setup-permissions-missing = ❌ In #{ $name } (`discord.{ $key }`) fehlt dem Bot: { $missing }. Kanal bearbeiten → Berechtigungen → die Rolle des Bots (oder @everyone) → erlauben; oder Servereinstellungen → Rollen → Rolle des Bots.
setup-manager-not-mentionable = ❌ Die Rolle @{ $name } (`discord.manager_role_id`) ist nicht erwähnbar – der Ping bei dringenden Meldungen erreicht niemanden. Servereinstellungen → Rollen → { $name } → „Erlaube jedem, diese Rolle zu @erwähnen“ einschalten (oder dem Bot die Berechtigung „@everyone, @here und alle Rollen erwähnen“ geben).
setup-serve-notice = Beim Start ist das aufgefallen; der Bot läuft trotzdem, aber was davon betroffen ist, kommt nicht an. `vpa-desk check` prüft erneut.
setup-pool-warning = ⚠️ Einrichtung unvollständig ({ $count ->
    [one] 1 Problem
   *[other] { $count } Probleme
}) – siehe die Meldung beim Start oder `vpa-desk check`.
permission-view-channel = Kanal ansehen
permission-send-messages = Nachrichten senden
permission-embed-links = Links einbetten
permission-attach-files = Dateien anhängen
permission-add-reactions = Reaktionen hinzufügen
permission-read-message-history = Nachrichtenverlauf anzeigen
