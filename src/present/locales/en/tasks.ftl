## Problems of a task draft (one line each)
task-problem-empty-client = The client is missing: give a name or a short code for the client.
task-problem-client-too-long = The client name is too long ({ $chars } characters); at most { $max } characters are allowed.
task-problem-unknown-competence = The competence “{ $input }” is not in the catalog. Did you mean: { $suggestions }? Pick a competence from the suggestions.
task-problem-hours = The hours ({ $hours }) are out of range: { $min } to { $max } are allowed.
task-problem-deadline-unreadable = The deadline “{ $input }” is not a valid date. Allowed are YYYY-MM-DD (e.g. 2026-12-24) or DD.MM.YYYY (e.g. 24.12.2026).
task-problem-deadline-past = The deadline { $deadline } is in the past. Allowed is today ({ $today }) or a later day.
task-problem-description-too-long = The description is too long ({ $chars } characters); at most { $max } characters are allowed.
task-invalid = The task was not created:

## Creating a task
task-created = Task #{ $task } created. { $surveyed ->
    [one] 1 fitting VPA asked.
   *[other] { $surveyed } fitting VPAs asked.
}
task-created-more = { $more ->
    [one] 1 more fitting VPA is asked at half the survey window if nobody has accepted by then.
   *[other] { $more } more fitting VPAs: the next are asked at half the survey window if nobody has accepted by then (after that by “widen the survey”).
}
task-created-link = Survey: { $link }
task-created-posting = The survey is being posted.
task-post-delayed = Task #{ $task } created, { $surveyed ->
    [one] 1 VPA is being asked.
   *[other] { $surveyed } VPAs are being asked.
} Discord is slow right now: the survey is posted as soon as it works again – nothing is lost.
task-nobody-fits = Task #{ $task } created, but **no VPA fits** right now (competence, VT-Stop, absence, schedule or capacity). No survey was posted. Report the demand to the VPA manager.

## Refusals
task-unknown = There is no task #{ $task }. `/task list` shows the open tasks.
task-wrong-status = Task #{ $task } is { $status } – that isn't possible in this state.
task-not-a-vpa = <@{ $vpa }> has no VPA profile and cannot get tasks.
task-already-assigned = <@{ $vpa }> already has task #{ $task }.
task-not-assigned = <@{ $vpa }> doesn't have task #{ $task }.
task-cancel-reason-invalid = Give a reason for cancelling (1 to { $max } characters). Nothing was changed.
task-external-note-invalid = Say to whom or why the task goes to an external provider (1 to { $max } characters). Nothing was changed.
task-edit-nothing = Give at least one of: deadline, hours or description. Nothing was changed.

## Assigning and closing
task-assigned = Task #{ $task } is assigned to <@{ $vpa }> ({ $name }). Utilization this week now: { $utilization }. The survey post shows “assigned”, the VPA gets a DM.
task-assigned-concerns = ⚠️ Note: it doesn't actually fit – { $concerns }.
task-unassigned = <@{ $vpa }> no longer has task #{ $task }; the hours are free again. Status now: { $status }.
task-closed = Task #{ $task } is now { $status }.
dm-assigned = 🎉 You got task #{ $task }: { $area } · { $competence } · { $hours } · deadline { $deadline } · client: { $client }.
dm-assigned-description = Description: { $description }
dm-assigned-end = The coordination team will get in touch with the details.
dm-unassigned = Task #{ $task } was taken back from you; the hours are free in your schedule again.

## /task show
task-details-head = **Task #{ $task }** – { $status }
task-details-facts = Client: { $client } · { $area } · { $competence } · { $hours } · { $deadline_label } { $deadline } · new client: { $new_client }
task-details-parts = Split into: { $parts }
task-details-part-line = #{ $task } ({ $hours }, { $status })
task-details-description = Description: { $description }
task-details-assignees = Assigned to: { $assignees }
task-details-round = Survey { $n }: { $counts }
task-details-history = History (UTC): { $entries }
task-details-part = Part { $index }/{ $count } of task #{ $parent }
label-deadline = deadline
label-start-by = start by
label-start-latest = Start by

## History entries
history-round-first = first survey
history-round-extended = extended survey
history-round-related = survey under a related competence
history-round-split = survey of a part
history-escalated = reported: { $cause }
history-unassigned = assignment taken back
history-split = split into { $parts }
history-edited-deadline = deadline { $before } → { $after }
history-edited-hours = hours { $before } → { $after }
history-edited-competence = competence { $before } → { $after }
history-edited-new-client = new client { $before } → { $after }
history-edited-description = description changed
history-unchanged = unchanged

## /task list
task-list-empty = No open demand – all tasks are assigned. 🎉
task-list-head = **Open demand: { $count ->
    [one] 1 task**
   *[other] { $count } tasks**
}
task-list-line = • #{ $task } { $competence } · { $hours } · due { $deadline } · { $status } · since { $since }

