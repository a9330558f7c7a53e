#!/usr/bin/env python3
"""DuckDB reads `pktlab export` output (run by .ci/run; needs `pip install duckdb`).

Exports every capture in captures/ into one folder, then checks with DuckDB over the whole
folder: one row per frame and the same byte totals as `pktlab dissect` prints, typed columns
(timestamps, integers, booleans), and the README's question — which client saw
retransmissions — answered from the TCP analysis columns.
usage: tests/duckdb_export.py [PKTLAB_BINARY]
"""
import glob
import os
import subprocess
import sys
import tempfile

import duckdb

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'target/release/pktlab')
caps = sorted(glob.glob(os.path.join(root, 'captures/*.pcap')))
out = tempfile.mkdtemp(prefix='pktlab-duckdb-')
frames = length = 0
retrans = {}
for cap in caps:
    name = os.path.basename(cap)
    subprocess.run([binary, 'export', cap, '-o', os.path.join(out, name + '.parquet')], check=True, capture_output=True)
    rows = subprocess.run([binary, 'dissect', '-T', 'fields', '-e', 'frame.len', '-e', 'ip.src',
                           '-e', 'tcp.analysis.retransmission', cap], check=True, capture_output=True, text=True).stdout
    for line in rows.splitlines():
        cells = line.split('\t')
        frames += 1
        length += int(cells[0])
        if cells[2]:
            retrans[cells[1]] = retrans.get(cells[1], 0) + 1

db = duckdb.connect()
got = db.execute(f"select count(*), sum(\"frame.len\") from '{out}/*.parquet'").fetchall()[0]
assert got == (frames, length), f'DuckDB sees {got}, dissect printed {(frames, length)}'
types = {r[0]: r[1] for r in db.execute(f"describe select * from '{out}/handshake.pcap.parquet'").fetchall()}
assert types['frame.time'].startswith('TIMESTAMP'), types['frame.time']
assert types['frame.number'] == 'BIGINT' and types['tcp.analysis.retransmission'] == 'BOOLEAN', types
# The README's query: which client saw retransmissions, over the folder.
answer = dict(db.execute(f"""
    select "ip.src", count(*) from '{out}/*.parquet'
    where "tcp.analysis.retransmission" group by 1 order by 2 desc""").fetchall())
assert answer == retrans, f'DuckDB {answer} vs dissect {retrans}'
assert answer, 'the recorded captures hold retransmissions'
print(f'duckdb: {len(caps)} exports, {frames} rows, {length} bytes; retransmissions by sender: {answer}')
