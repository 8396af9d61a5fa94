#!/usr/bin/env sh
# Any CI: fail the build on a leak in the pushed commits. Exit codes: 0 clean, 1 leaks, 2 error
# (not a repo, unknown revision, shallow clone, bad config): treat anything but 0 as a failure.
set -eu
BASE="${1:?usage: generic.sh BASE_SHA [HEAD_SHA]}"
HEAD="${2:-HEAD}"
npx --yes leakhound scan --history --range "$BASE..$HEAD" --no-progress
