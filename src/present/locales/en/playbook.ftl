## The playbook under the notice (embed fields: title 256, text 1,024 characters)
playbook-title = What now? Options from the playbook
playbook-extend-title = 1. Widen the survey
playbook-extend = { $count ->
    [one] 1 VPA with the competence doesn't actually want new clients/tasks.
   *[other] { $count } VPAs with the competence don't actually want new clients/tasks.
}
playbook-unasked = { $count ->
    [one] 1 more fitting VPA was not asked yet (a survey post names at most { $max }).
   *[other] { $count } more fitting VPAs were not asked yet (a survey post names at most { $max }).
}
playbook-illogical = Illogical declines (“no capacity”, but the schedule has room): { $people }
playbook-later-title = 2. Move the deadline
playbook-later = From { $from } at the earliest: { $who }. Template: `/template name:deadline task:{ $task }`; then `/task edit id:{ $task } deadline:…`
playbook-later-who = <@{ $vpa }> from { $from }
playbook-later-none = Nobody answered “later” with a date.
playbook-related-title = 3. Change the competence
playbook-related = “{ $competence }”: { $count ->
    [one] 1 fitting VPA
   *[other] { $count } fitting VPAs
}
playbook-related-none = No related competences in the catalog.
playbook-newbies-title = 4. Nudge the newbies
playbook-newbies = { $count ->
    [one] 1 newbie
   *[other] { $count } newbies
} without a competence in { $area } – maybe it is dormant there.
playbook-split-title = 5. Split
playbook-split = { $count } parts: { $parts }. Template: `/template name:split task:{ $task }`
playbook-split-none = Only for tasks from { $large } – this one has { $hours }.
playbook-training-title = 6. Offer training
playbook-training = { $people } (at the client's cost). Template: `/template name:training task:{ $task }`
playbook-training-none = Nobody willing to train with a related competence.
playbook-external-title = 7. Offer external research
playbook-external = Template: `/template name:external task:{ $task }`

## Its buttons (at most 80 characters)
playbook-button-extend = Widen the survey ({ $count })
playbook-button-reask = Re-ask declines ({ $count })
playbook-button-related = Advertise as “{ $competence }” ({ $count })
playbook-button-nudge = Nudge newbies ({ $count })
playbook-button-split = Split into { $parts } parts

## What a button did
playbook-nobody = There is nobody for that right now – nothing was done.
playbook-already-done = That has happened already: everyone this action reaches was contacted in this round – nothing was triggered twice.
playbook-already-split = Task #{ $task } is split already; its parts are tasks of their own (see `/task show id:{ $task }`).
playbook-button-external = Give to external provider
playbook-external-done = Task #{ $task } is now with an external provider and no longer open demand.
playbook-extended = Extended survey for task #{ $task } started: { $count ->
    [one] 1 VPA asked who doesn't actually want new clients/tasks.
   *[other] { $count } VPAs asked who don't actually want new clients/tasks.
}
playbook-related-started = Task #{ $task } advertised again under “{ $competence }”: { $count ->
    [one] 1 VPA asked.
   *[other] { $count } VPAs asked.
}
playbook-reasked = { $count ->
    [one] 1 VPA
   *[other] { $count } VPAs
} asked again about task #{ $task } by a friendly DM.
playbook-nudged = { $count ->
    [one] 1 newbie
   *[other] { $count } newbies
} nudged to complete their competences.
playbook-nudged-cooling = { $cooling ->
    [one] 1 was nudged recently (cool-down) and is left alone this time.
   *[other] { $cooling } were nudged recently (cool-down) and are left alone this time.
}
playbook-not-large = Task #{ $task } is not a large task: only tasks from { $large } can be split.
playbook-split-done = Task #{ $task } split into { $parts } – each part is surveyed on its own.
playbook-split-part = #{ $task } ({ $hours })

## Direct messages
dm-reask-decliner = Hello! You declined task #{ $task } ({ $area } · { $competence } · deadline { $deadline }) with “no capacity”. Your schedule says you want tasks and still have room – might it fit after all? If so, just tap “Accept”. If not, that's perfectly fine; you're welcome to update your schedule with `/profile schedule`.
dm-newbie-nudge = Hello and welcome to the team! 👋 We are looking for support in { $area }. Please check and complete your competences – **basic knowledge is enough!** – so we can offer you tasks that fit.

## Chat templates
template-unknown = There is no template “{ $name }”. Available: { $known }.
template-reply = **{ $title }** (task #{ $task })
template-later-open = (date open)
