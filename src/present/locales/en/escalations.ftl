## The notice in the manager channel
notice-head = 🚨 **Demand not covered – task #{ $task }** ({ $area } · { $competence })
urgency-immediate = 🔴 Back office/secretarial: please take care of it right away.
urgency-may-wait = 🟡 Marketing: reported; the client may be able to wait a few days.
urgency-may-not-be-coverable = 🟣 Specialist area: reported – may not be coverable.
notice-task = **Task:** { $hours } · { $deadline_label } { $deadline } · new client: { $new_client } · status: { $status }
notice-created-by = {" "}· created by <@{ $by }>
notice-round = **Survey { $round }:** { $surveyed } asked · ✅ { $accepted } accepted · ⏳ { $later } later · ❌ { $declined } declined{ $reasons } · { $open } no answer
notice-reason = { $reason } { $count }
notice-pool = **Pool { $area }:** { $available } available for new clients (of { $vpas } VPAs; VT-Stop { $vt_stop }, absent { $absent }) · total { $total } of at least { $minimum }{ $warning }
notice-causes = **Why:** { $causes }
notice-causes-more = { $shown } · and { $more } earlier
cause-round-failed = survey closed without an acceptance
cause-nobody-fits = no VPA fitted when the task was created
cause-reported = reported
cause-reported-by = reported by <@{ $by }>
cause-note = { $cause }: “{ $note }”
cause-accepted-unassigned = acceptances, but not assigned after another window
cause-at = { $at } – { $what }

## The re-ping in a reply
ping-quiet-hours = Task #{ $task }: demand not covered, reported during quiet hours – see above.
ping-accepted-unassigned = Task #{ $task }: there are acceptances, but the task is still not assigned.
ping-reported = Task #{ $task }: the coordination team reports the demand again.
ping-round-failed = Task #{ $task }: the next survey closed without an acceptance too.

## /demand report
demand-reported = Task #{ $task } is reported to the VPA manager.
demand-reported-again = Task #{ $task } was reported already; the notice is updated and the VPA manager notified again.
note-too-long = The note is too long: at most { $max } characters. Nothing was reported.

## To the coordinator
dm-accepted-but-unassigned = ⏰ The survey of task #{ $task } has closed: { $accepted ->
    [one] 1 VPA accepted
   *[other] { $accepted } VPAs accepted
}, but the task is not assigned yet. Please assign it with `/survey status task:{ $task }` – otherwise it goes to the VPA manager after another survey window.
notice-reasons = {" "}({ $reasons })
notice-pool-warning = {" "}⚠️
