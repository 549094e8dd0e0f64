"""Stage 6, a campaign → one PDF per recipient, resumable, with a manifest.

- :mod:`.campaign` loads a campaign's letters with their file names and checks it whole;
- :mod:`.check` is the front door of ``letterkit check``;
- :mod:`.state` remembers each letter's input hash between runs;
- :mod:`.workers` builds letters in this process or in worker processes;
- :mod:`.build` runs a bundle: what to build, in parallel, written atomically;
- :mod:`.manifest` writes ``manifest.json`` and the combined PDF;
- :mod:`.shards` reads and checks shard manifests, one by one and as a set;
- :mod:`.merge` joins shards into one folder, built whole in :mod:`.staging`.
"""
