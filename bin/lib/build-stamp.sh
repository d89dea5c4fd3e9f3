# Sourced by bin/prompttune and bin/prompttune-tools: when to rebuild.
#
# sources_newer_than STAMP DIR...: true when STAMP is missing or a main source or POM under the DIRs is newer.
# The launchers touch their stamp after each successful build. A jar's own time cannot say whether the last build
# saw a change: Maven leaves a jar whose contents did not change untouched, so an unchanged module jar (Spark's,
# the tools') looked older than the sources forever and every command rebuilt. Test sources are not in the jars
# and do not count.
sources_newer_than() {
  local stamp="$1"; shift
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$@" \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
        -newer "$stamp" -not -path '*/target/*' -not -path '*/src/test/*' -print -quit 2>/dev/null)" ]
}
