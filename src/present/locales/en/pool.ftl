## Pool health (CLI table and /pool)
pool-table-head = Pool health on { $date }: { $available } of at least { $minimum } VPAs available for new clients — { $verdict }
pool-healthy = healthy
pool-unhealthy = TOO FEW
pool-col-area = Area
pool-col-available = available
pool-col-vpas = VPAs
pool-col-vt-stop = VT-Stop
pool-col-absent = absent
pool-area-minimum = (minimum { $minimum })
pool-area-below-minimum = (below minimum { $minimum })

## The watch's notices in the manager channel
pool-alert = ⚠️ **Pool health: only { $available } of at least { $minimum } VPAs available for new clients.**
pool-reminder = ⏰ Reminder: the pool is still below its minimum – { $available } of at least { $minimum } VPAs available for new clients.
pool-recovered = ✅ Pool healthy again: { $available } of at least { $minimum } VPAs available for new clients.
pool-by-area = By area: { $areas }
pool-area-figures = { $area }: { $available } of { $vpas }{ $minimum }
pool-area-figures-minimum = {" "}(minimum { $minimum })
pool-recently-unavailable = Recently no longer available:
pool-unavailable-line = • <@{ $vpa }> ({ $name }) – { $why }
unavailable-no-new-clients = no longer wants new clients
unavailable-vt-stop = VT-Stop until { $until }
unavailable-absent = absent
unavailable-deactivated = deactivated
