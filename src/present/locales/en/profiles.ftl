## Refusals
weekly-hours-invalid = The weekly hours ({ $hours }) don't fit: { $min } to { $max } are allowed. Nothing was changed.
vt-stop-invalid = “{ $input }” is not a valid date. Allowed are YYYY-MM-DD, DD.MM.YYYY or “off” (ends the VT-Stop). Nothing was changed.
absence-invalid = “{ $input }” is not a valid date. Allowed are YYYY-MM-DD or DD.MM.YYYY; “off” as “from” ends the absence. Nothing was changed.
absence-order = The end ({ $until }) is before the start ({ $from }). Nothing was changed.
date-in-past = The date { $day } is in the past; allowed is today ({ $today }) or later. Nothing was changed.
level-missing = Adding a competence needs a level: choose basic, good or expert. Nothing was changed.
no-profile = <@{ $vpa }> has no VPA profile yet.

## After a change
profile-created = Your VPA profile was created (0 weekly hours, wants no tasks). Set with `/profile schedule` how many hours a week you want to work and whether you want tasks and new clients – otherwise you won't be asked.
profile-saved = Saved.
profile-unchanged = That was saved already – nothing changed.
profile-deactivated = <@{ $vpa }> is deactivated: no longer counts in the pool and is not asked any more. Importing this person again activates them again.

## The profile
profile-head = **Profile of <@{ $vpa }>** ({ $name })
profile-weekly-hours = **Weekly hours:** { $hours }
profile-wants = **Wants tasks:** { $tasks } · **wants new clients:** { $new_clients }
profile-utilization = **Utilization this week:** { $utilization }
profile-vt-stop = **VT-Stop:** { $vt_stop }
profile-vt-stop-until = until { $until }
profile-absent = **Absent:** { $absent }
profile-absent-range = { $from } – { $until }
profile-absent-open = from { $from } (open-ended)
profile-absent-until = until { $until }
profile-training = **Willing to train:** { $training }
profile-newbie = **Newbie** – check and complete your competences (basic knowledge counts too).
profile-inactive = **Deactivated** – doesn't count in the pool.
profile-competences = **Competences:**
profile-competences-none = none – add them with `/profile competence`.
profile-competences-area = • { $area }: { $competences }
profile-competence = { $name } ({ $level })

## Why a VPA was left out
exclusion-vt-stop = VT-Stop until { $until }
exclusion-absent-until = absent until { $until }
exclusion-no-tasks = wants no tasks
exclusion-no-new-clients = wants no new clients
exclusion-no-weekly-hours = no weekly hours
exclusion-no-room = no room in the week of { $week }: { $load } planned + { $share } task > { $weekly } weekly hours

## Members Discord refuses DMs to
dm-refused-mention = <@{ $member }>, you have a message from vpa-desk – please open your direct messages for this server (right-click the server name → Privacy Settings → turn on "Direct Messages"). It then arrives by itself.
dm-refused-for-coordinator = ⚠️ <@{ $member }> cannot be reached by direct message (Discord does not let the bot DM them). A message about task #{ $task } did not arrive; <@{ $member }> was asked in the channel to open their direct messages, and the bot tries again every hour for up to 3 days. If it is urgent, contact <@{ $member }> directly.
profile-dm-unreachable = ⚠️ Not reachable by direct message since { $since } – please open your direct messages for this server (right-click the server name → Privacy Settings).

## Erasure (`/profile forget`, `vpa-desk forget`)
forget-confirm = Erase the personal data of <@{ $vpa }> ({ $name }) for good? Erased: name, profile fields, competences, the change history, notes in answers, messages to and about them, language and DM marks; their Discord id is replaced by a random one everywhere. Kept anonymous: { $assignments ->
    [one] 1 assignment
   *[other] { $assignments } assignments
} (hours per week and area) and { $answers ->
    [one] 1 answer
   *[other] { $answers } answers
} (as counts), so reports add up. Posts already in Discord stay as they are. This cannot be undone.
button-forget = Erase for good
forget-done = Erased. Kept anonymous: { $assignments ->
    [one] 1 assignment
   *[other] { $assignments } assignments
}, { $answers ->
    [one] 1 answer
   *[other] { $answers } answers
}. Posts in Discord are unchanged; backups made before still hold the data.
forget-active = <@{ $vpa }> is still active. First `/profile deactivate` (it hands on their tasks), then erase.
