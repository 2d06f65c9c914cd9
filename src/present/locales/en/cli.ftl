## The command line: its mistakes, `vpa-desk outbox`
cli-not-a-day = “{ $input }” is not a date (allowed: YYYY-MM-DD or DD.MM.YYYY)
cli-not-an-id = “{ $input }” is not an item number (accepted: a whole number from 1, as `vpa-desk outbox` shows them)
cli-not-a-discord-id = “{ $value }” is not a Discord id (accepted: the number Discord shows on right-click on the person → Copy ID, e.g. 123456789012345001)
forget-cli-ask = Nothing erased. To erase: `vpa-desk forget { $vpa } --yes`
cli-error = Error: { $error }
cli-bad-value = Invalid value for { $arg }: { $reason }
cli-missing-value = { $arg } needs a value.
cli-bad-choice = Invalid value “{ $value }” for { $arg } (accepted: { $allowed }).
cli-unknown-argument = Unknown argument “{ $arg }”.
cli-unknown-argument-suggest = Unknown argument “{ $arg }” — did you mean { $suggested }?
cli-conflict = { $arg } and { $other } exclude each other: please use only one.
cli-repeated = { $arg } may be given only once.
cli-unknown-command = Unknown command “{ $command }” (accepted: { $commands }).
cli-missing-argument = Missing: { $args }.
cli-wrong-number = Wrong number of values for { $arg }.
cli-usage = Usage: { $usage } (--help says what is accepted)
cli-usage-none = `vpa-desk --help` says what is accepted.

outbox-none = No undelivered messages.
outbox-failed-title = { $count ->
    [one] 1 undelivered message:
   *[other] { $count } undelivered messages:
}
outbox-failed-line = #{ $id }  { $what }{ $task } — { $attempts ->
    [one] 1 attempt
   *[other] { $attempts } attempts
}, given up on { $at }
outbox-failed-task = {" "}for task #{ $task }
outbox-failed-error = {"    "}last answer: { $error }
outbox-failed-hint = Fix the cause (e.g. the channel's permission), then `vpa-desk outbox --requeue ID` for one or `vpa-desk outbox --requeue-all` for all.
outbox-requeued = { $count ->
    [0] No undelivered messages: nothing queued again.
    [one] 1 message queued again: the bot delivers it within seconds.
   *[other] { $count } messages queued again: the bot delivers them within seconds.
}
outbox-not-failed = Not among the undelivered messages: { $ids }. { $failed } Nothing was queued again.
outbox-not-failed-these = Undelivered are: { $ids }.
outbox-not-failed-none = There are no undelivered messages.

## --help
cli-help-usage = Usage:
cli-help-commands = Commands
cli-help-options = Options
cli-help-arguments = Arguments
cli-help = vpa-desk keeps client demand covered by the pool of virtual personal assistants (VPAs).
cli-help-help = Show this help.
cli-help-version = Show the version.
cli-help-config = Folder with default.toml and competences.toml (without it: ./config, else the built-in defaults).
cli-help-database_url = The SQLite database; created if missing.
cli-help-import-vpas = Import or update VPAs from a CSV file (all rows or none).
cli-help-import-vpas-file = The CSV file (header: discord_id,name,weekly_hours,…).
cli-help-pool = Show pool health: VPAs available for new clients, in total and per work area.
cli-help-pool-json = Print JSON instead of a table.
cli-help-pool-date = Evaluate as of this day (YYYY-MM-DD or DD.MM.YYYY); default today.
cli-help-outbox = Messages the bot could not deliver: list them, or queue them again once the cause is fixed (the running bot picks them up within seconds).
cli-help-outbox-requeue = Queue this item again (its number as listed; may be given more than once).
cli-help-outbox-requeue_all = Queue every undelivered item again.
cli-help-outbox-json = Print the list as JSON instead of text.
cli-help-backup = Write a consistent copy of the database to FILE – also while the bot runs; the copy is checked.
cli-help-backup-file = The copy to write (must not exist yet).
cli-help-forget = Erase the personal data of a (deactivated) VPA: shows what goes and what stays anonymous; with --yes it erases.
cli-help-forget-vpa = The VPA's Discord id.
cli-help-forget-yes = Erase without asking again.
cli-help-export = Export the pool (in the import format, with absent_from and active) or the tasks with their times as CSV.
cli-help-export-what = What: pool or tasks.
cli-help-export-file = The CSV file to write.
cli-help-check = Check the Discord server the configuration names: channels, roles, the bot's permissions (exit code 1 if something needs fixing).
cli-help-serve = Run the Discord bot.
cli-help-sandbox = Try the bot without a Discord account: the real bot against a built-in Discord-compatible server on loopback, with a demo pool and a scripted morning at the agency.
cli-help-sandbox-play = Instead of the story: a prompt to act as any member and move the clock.
cli-help-sandbox-out = Folder for the files the bot sends (a report's chart); default: a new temporary one.
cli-relay-failed = Cannot prepare the connection to { $base } (accepted: an address http://… or https://…): { $error }
cli-output-failed = Cannot write the output: { $reason }
cli-output-full = no space left on the device
