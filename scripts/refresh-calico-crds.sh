#!/usr/bin/env bash
# Re-copies Calico's CRDs into tests/fixtures/calico-crds/ from a local clone of projectcalico/calico.
#   refresh-calico-crds.sh <calico-clone> [release...]
# Without releases, re-copies every folder SOURCES.tsv lists; a release is a tag (v3.33.0) or `master`.
# Files are written with `git show <commit>:<path>`, so they stay byte-for-byte copies, and SOURCES.tsv is
# rewritten from what was copied. Nothing is fetched: fetch the tags in the clone first.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

calico=${1:-}
[ -n "$calico" ] || die "usage: $0 <calico-clone> [release...]"
git -C "$calico" rev-parse --git-dir >/dev/null 2>&1 || die "$calico is not a git clone of projectcalico/calico"
shift
dest=$PCA_REPO/tests/fixtures/calico-crds
sources=$dest/SOURCES.tsv
kinds=(bgpconfigurations bgpfilters bgppeers caliconodestatuses clusterinformations ippools)

listed() { [ -f "$sources" ] && tail -n +2 "$sources" | cut -f1 | cut -d/ -f1 | sort -u; }
# Tags in version order, master last.
ordered() { { printf '%s\n' "$@" | grep -v '^master$' | sort -uV; printf '%s\n' "$@" | grep '^master$' | sort -u; } || true; }

mapfile -t releases < <(ordered $(listed) "$@")
[ ${#releases[@]} -gt 0 ] || die "no release given and none listed in $sources"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'file\trepo\tref\tcommit\tcommit_date\tsource_path\tgit_blob\n' > "$tmp/SOURCES.tsv"
for release in "${releases[@]}"; do
  commit=$(git -C "$calico" rev-parse --verify -q "$release^{commit}") \
    || die "$release is not a ref in $calico (git -C $calico fetch --tags origin)"
  date=$(git -C "$calico" show -s --format=%cs "$commit")
  mkdir -p "$tmp/$release"
  n=0
  # Native v3 CRDs (api/config/crd, from 3.32) first, then the crd.projectcalico.org/v1 ones every release has.
  for group in projectcalico.org:api/config/crd crd.projectcalico.org:libcalico-go/config/crd; do
    for kind in "${kinds[@]}"; do
      name=${group%%:*}_$kind.yaml
      path=${group#*:}/$name
      blob=$(git -C "$calico" rev-parse --verify -q "$commit:$path") || continue
      git -C "$calico" cat-file blob "$blob" > "$tmp/$release/$name"
      printf '%s\tprojectcalico/calico\t%s\t%s\t%s\t%s\t%s\n' "$release/$name" "$release" "$commit" "$date" "$path" "$blob" \
        >> "$tmp/SOURCES.tsv"
      n=$((n + 1))
    done
  done
  [ -f "$tmp/$release/crd.projectcalico.org_bgppeers.yaml" ] || die "$release ($commit) has no libcalico-go/config/crd/crd.projectcalico.org_bgppeers.yaml"
  log "$release: $n files from $commit ($date)"
done

for release in "${releases[@]}"; do
  rm -rf "${dest:?}/$release"
  mv "$tmp/$release" "$dest/$release"
done
mv "$tmp/SOURCES.tsv" "$sources"
log "wrote $sources; check the README's list of releases and run: npx mocha bin/tests/unit/calico/*.test.js"
