## /task edit and what follows from it
task-edited = Task #{ $task } changed: { $changes }. The survey post and the notice show the change.
edit-fitting = { $fitting ->
    [0] Nobody fits now (besides those holding it).
    [one] 1 VPA fits now.
   *[other] { $fitting } VPAs fit now.
}
edit-outdated = { $count ->
    [one] 1 VPA who accepted or said "later" no longer fits and was told by DM:
   *[other] { $count } VPAs who accepted or said "later" no longer fit and were told by DM:
}
edit-outdated-line = • { $who }: { $reasons }
edit-newly-fitting = { $count ->
    [one] 1 VPA fits now who did not before and was not asked yet – button below.
   *[other] { $count } VPAs fit now who did not before and were not asked yet – button below.
}
edit-holders = The assignment follows the new hours and deadline (utilization with it); { $who } was told by DM.
edit-holders-unfit = ⚠️ { $who } no longer fits ({ $reasons }). You decide: keep them, or take it back with `/task unassign` and assign again.
edit-over-hours-confirmed = Confirmed beyond their weekly hours: { $who }.
edit-confirm-head = ⚠️ This change of task #{ $task } would put VPAs holding it over their weekly hours:
edit-over-hours-line = • { $who }: { $load } of { $weekly } in the week of { $week }
edit-confirm-foot = Nothing is saved before you confirm (valid for { $minutes } minutes).
button-edit-confirm = Save anyway
button-edit-drop = Don't save
edit-unchanged = Task #{ $task } has that stored already – nothing changed.
edit-dropped = The change of task #{ $task } was not saved.
edit-settled = This change of task #{ $task } was decided already – nothing changed.
edit-expired = The change of task #{ $task } waited more than { $minutes } minutes for its confirmation and was not saved. Please enter `/task edit` again.
edit-changed-meanwhile = Task #{ $task } was just changed elsewhere; nothing was saved. Please enter the change again.

## why an edit no longer fits someone
mismatch-no-competence = the task now asks for { $competence }, which is not in your profile
mismatch-no-competence-other = the task now asks for { $competence }, which is not in the profile
mismatch-new-client = the task is now a new client, and new clients are turned off in the profile
mismatch-no-room = in the week of { $week } it would be { $total } with { $weekly } weekly hours
mismatch-starts-too-late = the deadline ({ $deadline }) now lies before the "later, from" date ({ $from })

## DMs
dm-answer-outdated = ✏️ Task #{ $task } was changed and no longer fits you: { $reasons }. Your answer counts as outdated – the coordinators know. If it fits after all, tell them directly.
dm-held-task-changed = ✏️ Your task #{ $task } was changed: { $changes }.
dm-held-task-unfit = It no longer fits your profile ({ $reasons }); the coordinators decide and get back to you.

## /survey status
status-outdated = ⚠️ outdated: { $reasons }
button-newly-fitting = Ask the newly fitting: { $count }
button-further = Ask more: { $count }
newly-fitting-asked = { $asked ->
    [one] Asked 1 newly fitting VPA for task #{ $task } (a survey post of its own).
   *[other] Asked { $asked } newly fitting VPAs for task #{ $task } (a survey post of its own).
}
further-asked = { $asked ->
    [one] Asked 1 more fitting VPA for task #{ $task } (a survey post of its own).
   *[other] Asked { $asked } more fitting VPAs for task #{ $task } (a survey post of its own).
}
further-left = { $left ->
    [0] Every fitting VPA is asked now.
    [one] 1 more fits – press "Ask more" again.
   *[other] { $left } more fit – press "Ask more" again.
}
newly-fitting-none = Nobody newly fitting and unasked is left for task #{ $task } – nothing changed.
wave-none = Every fitting VPA was asked for task #{ $task } already – nothing changed.

## assigning an outdated answer
assign-outdated = ⚠️ The answer of { $who } to task #{ $task } is outdated: { $reasons }. Assign anyway?
button-assign-anyway = Assign anyway

## posts and notices
changed-line = ✏️ Changed: { $changes }
