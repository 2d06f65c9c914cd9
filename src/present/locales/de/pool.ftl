## Pool health (CLI table and /pool)
pool-table-head = Pool-Gesundheit am { $date }: { $available } von mindestens { $minimum } VPAs verfügbar für Neukunden — { $verdict }
pool-healthy = gesund
pool-unhealthy = ZU WENIG
pool-col-area = Bereich
pool-col-available = verfügbar
pool-col-vpas = VPAs
pool-col-vt-stop = VT-Stop
pool-col-absent = abwesend
pool-area-minimum = (Minimum { $minimum })
pool-area-below-minimum = (unter Minimum { $minimum })

## The watch's notices in the manager channel
pool-alert = ⚠️ **Pool-Gesundheit: nur { $available } von mindestens { $minimum } VPAs verfügbar für Neukunden.**
pool-reminder = ⏰ Erinnerung: Der Pool ist weiterhin unter dem Minimum – { $available } von mindestens { $minimum } VPAs verfügbar für Neukunden.
pool-recovered = ✅ Pool wieder gesund: { $available } von mindestens { $minimum } VPAs verfügbar für Neukunden.
pool-by-area = Je Bereich: { $areas }
pool-area-figures = { $area }: { $available } von { $vpas }{ $minimum }
pool-area-figures-minimum = {" "}(Minimum { $minimum })
pool-recently-unavailable = Kürzlich nicht mehr verfügbar:
pool-unavailable-line = • <@{ $vpa }> ({ $name }) – { $why }
unavailable-no-new-clients = möchte keine Neukunden mehr
unavailable-vt-stop = VT-Stop bis { $until }
unavailable-absent = abwesend
unavailable-deactivated = deaktiviert
