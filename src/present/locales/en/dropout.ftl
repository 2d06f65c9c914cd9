## When a VPA drops out (absence or deactivation): tasks handed on

dropout-task-facts = #{ $task } ({ $area } · { $competence } · { $hours } · { $deadline_label } { $deadline })
dropout-gap-until = from { $from } to { $until }
dropout-gap-open = from { $from }, no end date
dropout-cover-until = cover from { $from } to { $until }
dropout-cover-open = cover from { $from } until they are back

dropout-confirm-head = { $cause ->
    [deactivated] If <@{ $vpa }> is deactivated, these tasks go to others:
   *[absent] During the absence of <@{ $vpa }> ({ $gap }) these tasks go to others:
}
dropout-confirm-line-for-good = • { $facts }: handed on
dropout-confirm-line-cover = • { $facts }: { $cover }, then back with the current VPA
dropout-confirm-ask = Nothing is saved until you press “Confirm”. Each task then goes first to VPAs who accepted it before (one after another), otherwise to a new survey; the coordinator is told by DM.
button-dropout-confirm = Confirm
button-dropout-call-off = Cancel
dropout-called-off = Cancelled – nothing was saved.
dropout-confirm-not-yours = This confirmation belongs to someone else's request; please type the command yourself.

dropout-handed-on-head = **Handed on:**
dropout-step-offered = #{ $task }{ $cover }: offered to <@{ $to }> (accepted it before)
dropout-step-round = #{ $task }{ $cover }: new survey to { $surveyed } fitting VPAs
dropout-step-nobody = #{ $task }{ $cover }: nobody fits – reported to the VPA manager

dm-handed-on-for-coordinator = { $cause ->
    [deactivated] <@{ $vpa }> was deactivated. Your tasks with them and what the bot did:
   *[absent] <@{ $vpa }> is absent. Your tasks with them and what the bot did:
}
dm-handed-on-for-vpa = { $cause ->
    [deactivated] Your profile was deactivated. These tasks were handed on:
   *[absent] Your absence was saved. These tasks were handed on for that time:
}
dm-hand-on-offer = Hi! You had accepted task { $facts } – it is free again{ $cover }. Would you like to take it over? The offer stands until { $until }; then we ask the next person.
button-offer-take = Take over
button-offer-decline = No, thanks
dm-taken-over-for-coordinator = <@{ $vpa }> took over task #{ $task } (before: <@{ $holder }>). You can undo this with `/task unassign`.
dm-cover-back = Welcome back! The recurring task #{ $task } is yours again from this week; the cover ends.

offer-took = Thanks! Task #{ $task } is yours now – the details with the client's name come by DM.
offer-declined = All right, thanks for the quick answer – we ask the next person.
offer-not-yours = This offer is for someone else.
offer-gone-answered = You already answered this offer for task #{ $task }.
offer-gone-lapsed = The time for this offer ran out; task #{ $task } was offered to the next person.
offer-gone-taken = Task #{ $task } has been given to someone already.
offer-gone-closed = Task #{ $task } is closed.

history-handed-on = { $cause ->
    [deactivated] handed on: <@{ $vpa }> deactivated
   *[absent] handed on: <@{ $vpa }> absent
}
history-handed-on-cover = { $cover }: <@{ $vpa }> absent
history-taken-over = taken over by <@{ $vpa }>
history-cover-returned = back with <@{ $vpa }>

task-details-hand-overs = **Hand-overs:**
task-details-hand-over = • { $when }: <@{ $vpa }> { $cause ->
    [deactivated] deactivated
   *[absent] absent
}{ $cover } → { $state }{ $returned }
hand-over-state-offering = asking the waitlist
hand-over-state-round = new survey
hand-over-state-taken = taken over by <@{ $by }>
hand-over-state-closed = ended
hand-over-returned = , back since { $on }

survey-hand-over = 🔁 To be filled again: the VPA in charge dropped out.
survey-hand-over-cover = 🔁 { $cover } (the VPA in charge is absent).
