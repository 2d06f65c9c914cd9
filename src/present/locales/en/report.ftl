## The manager's reports (`/report`)
report-head = 📊 { $kind ->
    [pool] Pool health
    [demand] Demand
    [fill] Time to fill
   *[utilization] Utilization
} from { $from } to { $to }
report-chart-title = { $kind ->
    [pool] Available for new clients
    [demand] Tasks per week by outcome
    [fill] Time to fill (hours)
   *[utilization] Utilization of the active VPAs
}
report-y = { $kind ->
    [demand] Tasks
    [fill] Hours
   *[other] VPAs
}
report-whole-pool = Whole pool
report-minimum = Minimum
report-median = Median
report-p90 = 90th percentile
report-vpas = VPAs
report-week = W{ $week }
report-bucket-idle = no task
report-bucket-full = full (≥ 100 %)
report-outcome-in-window = filled in the first window
report-outcome-later = filled later
report-outcome-external = given out externally
report-outcome-cancelled = cancelled
report-outcome-open = still open
report-pool-line = { $area }: latest { $last } available{ $minimum ->
    [0] {""}
   *[other] {""} (minimum { $minimum })
}, lowest { $low } on { $low_on }{ $gaps ->
    [0] {""}
    [one] {""}; 1 day without a measurement
   *[other] {""}; { $gaps } days without a measurement
}
report-pool-none = There are no measurements for this period yet (the bot measures once a day).
report-no-tasks = No tasks were created in this period.
report-demand-line = { $area }: { $total } { $total ->
    [one] task
   *[other] tasks
} ({ $parts }){ $escalated ->
    [0] {""}
   *[other] {""}, { $escalated } escalated
}
report-no-fills = No task was filled in this period.
report-fill-line = { $area }: { $fills } { $fills ->
    [one] fill
   *[other] fills
}, median { $median }, 90 % within { $p90 }
report-fill-standard = Standard back-office tasks (up to { $hours }) filled in the first window: { $filled } of { $all } ({ $share } %).
report-fill-standard-none = Standard back-office tasks (up to { $hours }): none in this period.
report-utilization-line = { $week }: { $vpas } active VPAs with weekly hours, { $mean } utilized on average; { $idle } without a task, { $full } full.
report-period-unreadable = “{ $input }” is not a period. Accepted: a number of weeks (e.g. `8` or `8 weeks`) or two dates (e.g. `2026-10-01..2026-10-31`); empty = the last 4 weeks.
report-period-backwards = In the period “{ $input }” the end lies before the start.
report-period-too-long = The period “{ $input }” is not possible: at least 1 week, at most 2 years.

## The weekly digest
digest-head = 🗓️ Weekly digest { $from } – { $to }{ $late ->
    [yes] {""} (late: the bot was not running at its time)
   *[no] {""}
}
digest-crossings = Pool minimum: { $below ->
    [0] not undercut on any measured day
    [one] undercut on 1 day
   *[other] undercut on { $below } days
}{ $flips ->
    [0] {""}
   *[other] {""}, crossed { $flips }×
}.
digest-open = Open demand now: { $areas }.
digest-open-area = { $area } { $count } (oldest { $days } { $days ->
    [one] day
   *[other] days
})
digest-open-none = Open demand now: none.
digest-completed = Profile completed ({ $count } { $count ->
    [one] newbie
   *[other] newbies
}): { $names }.
digest-completed-none = Profile completed: no newbie this week.
report-csv-attached = 📎 { $file } attached ({ $rows } { $rows ->
    [one] row
   *[other] rows
}).
