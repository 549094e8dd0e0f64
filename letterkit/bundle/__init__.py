"""Stage 6, a campaign → one PDF per recipient, resumable, with a manifest.

- :mod:`.campaign` loads a campaign's letters with their file names and checks it whole;
- :mod:`.check` is the front door of ``letterkit check``, and :mod:`.counts` its summary line;
- :mod:`.rows` checks each recipient row's letter and prints its problems at the row's cells;
- :mod:`.drawn` checks what a letter draws (its template merged, its characters) without layout;
- :mod:`.state` remembers each letter's input hash between runs;
- :mod:`.workers` builds letters in this process or in worker processes;
- :mod:`.build` runs a bundle: what to build, in parallel, written atomically;
- :mod:`.combining` appends each letter to the combined PDF as the run makes it;
- :mod:`.manifest` writes ``manifest.json`` (and the combined PDF of finished letters);
- :mod:`.shards` reads and checks shard manifests, one by one and as a set;
- :mod:`.merge` joins shards into one folder, built whole in :mod:`.staging`.
"""
