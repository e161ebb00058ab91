#!/usr/bin/env python3
"""An example external golden-check runner for the portal (Python standard library only).

The portal never deserializes formats it cannot run in process (pickle, PyTorch...). A runner that can,
holding an API token that a TeamAdmin granted the right to record evidence, does this:

  1. POST /api/v1/teams/{team}/golden-runs/claim        -> the oldest waiting run and a one-time ticket
  2. GET  .../golden-runs/{run}/files/{sha256}           -> each file, fetched by digest (X-Run-Ticket)
  3. run the model on the golden rows with your own tooling (the --evaluate command)
  4. POST .../golden-runs/{run}/results                  -> the figures, judged and stored by the portal

Usage:
  PORTAL_TOKEN=... infra/golden-runner.py --url http://localhost:5080 --team marketing \
      --evaluate 'python3 my_eval.py {model} {data} {claim}'

The evaluate command gets the model file, the golden data file and the claim (JSON: label column, slice
columns, metrics, positive class) and prints JSON: {"figures": [{"metric": "accuracy", "slice": "", "value": 0.93}, ...]}.
Exit codes: 0 a run was completed, 3 no run was waiting, 1 anything else (the reason on stderr).
"""
import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def call(method, url, token, body=None, ticket=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if ticket:
        request.add_header("X-Run-Ticket", ticket)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main():
    parser = argparse.ArgumentParser(description="Claim and run one golden check for the portal.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--team", required=True)
    parser.add_argument("--evaluate", required=True, help="command with {model}, {data} and {claim} placeholders")
    args = parser.parse_args()
    token = os.environ.get("PORTAL_TOKEN")
    if not token:
        sys.exit("Set PORTAL_TOKEN to an API token granted the right to record evidence.")
    base = f"{args.url.rstrip('/')}/api/v1/teams/{args.team}/golden-runs"

    status, body = call("POST", base + "/claim", token)
    if status == 404:
        print("No golden-check run is waiting.")
        return 3
    if status != 200:
        sys.exit(f"Claim refused ({status}): {body.decode(errors='replace')}")
    claim = json.loads(body)
    run, ticket = claim["runId"], claim["ticket"]
    print(f"Claimed run {run}: check {claim['check']} on version {claim['version']}")

    with tempfile.TemporaryDirectory() as work:
        paths = {}
        for f in claim["files"]:
            status, content = call("GET", f"{base}/{run}/files/{f['sha256']}", token, ticket=ticket)
            if status != 200 or hashlib.sha256(content).hexdigest() != f["sha256"]:
                sys.exit(f"Could not fetch {f['path']} intact ({status}).")
            path = os.path.join(work, os.path.basename(f["path"]))
            with open(path, "wb") as out:
                out.write(content)
            paths.setdefault(f["role"], path)
        claim_path = os.path.join(work, "claim.json")
        with open(claim_path, "w") as out:
            json.dump({k: v for k, v in claim.items() if k != "ticket"}, out)

        started = time.monotonic()
        # Plain replacement, not str.format: the command may hold braces of its own (JSON, Python dicts).
        command = (args.evaluate.replace("{model}", shlex.quote(paths["model"]))
                   .replace("{data}", shlex.quote(paths["golden-data"])).replace("{claim}", shlex.quote(claim_path)))
        evaluated = subprocess.run(command, shell=True, capture_output=True, text=True)
        elapsed = int((time.monotonic() - started) * 1000)
        if evaluated.returncode != 0:
            sys.exit(f"The evaluate command failed: {evaluated.stderr.strip()}")
        output = json.loads(evaluated.stdout)

    results = {"runtime": output.get("runtime", "external"), "rowCount": output.get("rowCount", 0), "durationMs": elapsed,
               "runtimeMs": output.get("runtimeMs", elapsed), "figures": output["figures"]}
    status, body = call("POST", f"{base}/{run}/results", token, results, ticket)
    if status != 200:
        sys.exit(f"Results refused ({status}): {body.decode(errors='replace')}")
    verdict = json.loads(body)
    print(f"Run {run} stored: {'passed' if verdict['passed'] else 'failed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
