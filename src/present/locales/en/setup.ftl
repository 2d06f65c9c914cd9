## The set-up check (`vpa-desk check`, and at `serve` start)
setup-clean = ✅ Set-up checked: server "{ $guild }" – every configured channel and role exists, the bot may do what it needs everywhere and can ping the manager role.
setup-head = { $count ->
    [one] ⚠️ Set-up: 1 problem – please fix:
   *[other] ⚠️ Set-up: { $count } problems – please fix:
}
setup-guild-unreachable = ❌ The server { $guild } cannot be reached ({ $error }). Check `discord.guild_id` in config/default.toml and that the bot is invited (OAuth2 link with the scopes bot and applications.commands).
setup-channel-missing = ❌ The channel `discord.{ $key }` = { $id } does not exist on the server. Create it or enter the right id (right-click the channel → Copy ID; needs User Settings → Advanced → Developer Mode).
setup-channel-not-text = ❌ `discord.{ $key }` = #{ $name } is not a text channel (Discord type { $kind }). Choose a text channel.
setup-role-missing = ❌ The role `discord.{ $key }` = { $id } does not exist. Server Settings → Roles: create it or enter the right id (right-click the role → Copy ID).
setup-permissions-missing = ❌ In #{ $name } (`discord.{ $key }`) the bot lacks: { $missing }. Edit Channel → Permissions → the bot's role (or @everyone) → allow; or Server Settings → Roles → the bot's role.
setup-manager-not-mentionable = ❌ The role @{ $name } (`discord.manager_role_id`) cannot be mentioned – the ping of urgent notices reaches nobody. Server Settings → Roles → { $name } → turn on "Allow anyone to @mention this role" (or give the bot "Mention @everyone, @here and All Roles").
setup-serve-notice = Found at start; the bot runs anyway, but what this affects does not arrive. `vpa-desk check` checks again.
setup-pool-warning = ⚠️ Set-up incomplete ({ $count ->
    [one] 1 problem
   *[other] { $count } problems
}) – see the notice at start or `vpa-desk check`.
permission-view-channel = View Channel
permission-send-messages = Send Messages
permission-embed-links = Embed Links
permission-attach-files = Attach Files
permission-add-reactions = Add Reactions
permission-read-message-history = Read Message History
