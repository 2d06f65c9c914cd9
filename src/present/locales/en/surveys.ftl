## The survey post
survey-headline-assigned = ✅ **Task #{ $task } – assigned** ({ $area } · { $competence })
survey-headline-cancelled = ✖️ **Task #{ $task } – cancelled** ({ $area } · { $competence })
survey-headline-split = ✂️ **Task #{ $task } – split**: its parts are asked for separately ({ $area } · { $competence })
survey-headline-external = ↗️ **Task #{ $task } – placed externally** ({ $area } · { $competence })
survey-headline-closed = ⌛ **Task #{ $task } – survey closed, not assigned yet** ({ $area } · { $competence })
survey-headline-closed-more = You can still answer.
survey-headline-open = 📋 **New task #{ $task }** – { $area } · { $competence }
survey-headline-open-more = Who can take it? Answer with the buttons or with ✅ ❌ ⏳.
survey-title = Task #{ $task }
survey-field-area = Area
survey-field-competence = Competence
survey-field-hours = Hours
survey-field-new-client = New client
survey-field-changed = ✏️ Changed
survey-field-description = Description
survey-counts = Answers: ✅ { $accepted } · ❌ { $declined } · ⏳ { $later } · still open { $open } of { $surveyed } asked

## Buttons, selects and forms (labels at most 80, form titles and labels at most 45 characters)
button-accept = Accept
button-decline = Decline
button-later = Later
button-give-reason = Give a reason
button-give-date = Give a date
button-add-note = Add a reason
modal-note-title = Add a reason
modal-note-label = Reason (optional)
modal-later-title = Later – from when would you have time?
modal-later-label = From (YYYY-MM-DD or DD.MM.YYYY)
modal-later-placeholder = 2026-12-24
select-reason-placeholder = Choose why you decline
choose-reason = Too bad! Why doesn't it fit? Choose a reason:

## Answers
answer-accepted = Thank you! You accepted task #{ $task }. The coordination team will get in touch with you.
answer-declined = Thanks for letting us know. Declined task #{ $task }: { $reason }.
answer-declined-note = Thanks for letting us know. Declined task #{ $task }: { $reason } – “{ $note }”.
answer-later-from = Thank you! Saved: you could take task #{ $task } from { $from }.
answer-later = Thank you! Saved: task #{ $task } later.
answer-not-surveyed = (Note: you were not asked for this task; your answer is recorded.)
answer-unchanged = Your answer to task #{ $task } was saved already – nothing changed.
answer-task-closed = Task #{ $task } is { $status } – answers are no longer taken.
later-date-invalid = “{ $input }” is not a valid date. Allowed are YYYY-MM-DD (e.g. 2026-12-24) or DD.MM.YYYY (e.g. 24.12.2026). Nothing was saved.
later-date-past = The date { $day } is in the past. Allowed is today ({ $today }) or a later day. Nothing was saved.

## Direct messages about answers
dm-accepted-for-coordinator = ✅ <@{ $vpa }> ({ $name }) accepted task #{ $task }. `/survey status task:{ $task }` shows all answers.
dm-accepted-for-coordinator-unsurveyed = ✅ <@{ $vpa }> ({ $name }) (not asked) accepted task #{ $task }. `/survey status task:{ $task }` shows all answers.
dm-ask-decline-reason = You declined task #{ $task } with ❌ – thank you! Would you tell us briefly why? It helps us share out tasks better.
dm-ask-later-date = You answered ⏳ to task #{ $task }. From when would you have time? With the date we can ask the client for a later deadline.

## /survey status
status-head = **Task #{ $task }** – { $area } · { $competence } · { $hours } · { $status } – { $rounds ->
    [one] 1 survey round
   *[other] { $rounds } survey rounds
}
status-accepted = ✅ **Accepted ({ $count })**
status-later = ⏳ **Later ({ $count })**
status-declined = ❌ **Declined ({ $count })**
status-no-answer = … **No answer ({ $count })**
status-line-utilization = • { $who } – utilization { $utilization }
status-line-later-from = • { $who } – from { $from }
status-line-later-open = • { $who } – date open
status-line-declined = • { $who } – { $reason }
status-line-declined-note = • { $who } – { $reason } – “{ $note }”
status-not-surveyed = (not asked)
select-assign-placeholder = Choose a VPA and assign the task
select-assign-option = { $mark } { $name } – utilization { $utilization }
form-too-late = The form could not be opened in time. Please tap the button again.

## Who was left out of a task's surveys, and why
button-left-out = Who was not asked – and why
left-out-head = **Not asked for task #{ $task }** (as of today): { $without } VPAs without the competence; of the { $holders } with it:
left-out-fitting = • fitting, but mentioned in no round ({ $count }): { $people }
left-out-line = • { $reason } ({ $count }): { $people }
left-out-more = and { $count } more
left-out-vt-stop = VT-Stop
left-out-absent = absent
left-out-no-room = no capacity
