"""Everything score-shaped: what is compared, the values that count, the official formula, level claims and their
verification, the precomputed summaries, score reads and writes, and the score importer.

Inside the package a module imports only modules listed before it:
targets, summary_state → values → summaries; formula; claims → services (writes: claims, formula, summaries)
→ importer (with import_files, import_rows) and demo; selectors (reads: targets, summary_state, values).
The peer link (casestudies.peers) and the region dashboard (casestudies.dashboard) build on this package;
nothing here imports them.
"""
