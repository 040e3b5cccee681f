"""The region dashboard: `context` conducts it (data from casestudies.scores and casestudies.peers, charts from
`charts` and `heatmap`, which turn numbers into chart descriptions for templates/components/charts/)."""
