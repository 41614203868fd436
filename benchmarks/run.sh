#!/usr/bin/env bash
# Runs every side-by-side comparison of the SDK several times and rewrites the tables of docs/performance.md
# (between <!-- bench:NAME:begin --> and <!-- bench:NAME:end -->) from the medians, with min and max, the commit,
# JDK, CPU, core count and load average. On any failure it exits non-zero and leaves the document unchanged.
#
#   benchmarks/run.sh                      full run: 3 runs of every comparison, writes docs/performance.md
#   benchmarks/run.sh --quick              short development run, prints the tables, leaves the document alone
#   benchmarks/run.sh --only core,signing  only these comparisons (or BENCH_ONLY=core,signing)
#   benchmarks/run.sh --runs 5             more runs per comparison (at least 3 for a full run)
#   benchmarks/run.sh --dry-run            full run, print only;  --quick --write  writes a quick run anyway
#   benchmarks/run.sh --no-build           reuse benchmarks/target-bench/benchmarks.jar
#
# Comparisons: core signing twin exchange iot first feeds (docs/performance.md describes each).
# Needs: a JDK 17+ (JAVA_HOME or java on the PATH), curl, git. MVN_FLAGS adds Maven flags (for example -o).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
build=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --only|--runs) [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; args+=("$1" "$2"); shift ;;
    --quick|--dry-run|--write) args+=("$1") ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "${BENCH_ONLY:-}" ]; then
  args+=(--only "$BENCH_ONLY")
fi

command -v curl >/dev/null || { echo "run.sh: curl is required (the delivery baseline)" >&2; exit 2; }
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
"$java" -version >/dev/null 2>&1 || { echo "run.sh: no java found (set JAVA_HOME)" >&2; exit 2; }

jar="$root/benchmarks/target-bench/benchmarks.jar"
if [ "$build" = 1 ]; then
  echo "building benchmarks.jar (into target-bench directories) ..."
  # shellcheck disable=SC2086
  ./mvnw -B -q ${MVN_FLAGS:-} -Dshudu.build.dir=target-bench -pl benchmarks -am package -DskipTests
fi
[ -f "$jar" ] || { echo "run.sh: $jar is missing (run without --no-build)" >&2; exit 2; }

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no -- . ':!docs/performance.md' 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi

exec "$java" -cp "$jar" io.shudu.benchmarks.suite.Suite --jar "$jar" --doc "$root/docs/performance.md" \
  --commit "$commit" "${args[@]}"
