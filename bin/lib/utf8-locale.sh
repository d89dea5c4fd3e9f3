# Sourced by the launchers (bin/prompttune, bin/prompttune-tools, bin/lib/kernel-start.sh) before they start a JVM.
# Java 17 takes the encoding of file names, of its arguments and of its console output from the locale (LC_ALL,
# LC_CTYPE, LANG). Under the C/POSIX locale (a Docker image without LANG, `LC_ALL=C` in a job) a script or data file
# named with 'é' could not be opened ("Malformed input or input contains unmappable characters") and text printed as
# '?'. Where the locale's character set is not UTF-8 and a C.UTF-8 locale exists, only the character type becomes
# UTF-8: language, number and date formats stay as they were.
if command -v locale >/dev/null 2>&1 && [ "$(locale charmap 2>/dev/null)" != UTF-8 ] \
    && locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8'; then
  if [ -n "${LC_ALL:-}" ]; then
    # LC_ALL overrides every category: keep its value for the others through LANG, and set the character type alone.
    export LANG="$LC_ALL"
    unset LC_ALL
  fi
  export LC_CTYPE=C.UTF-8
fi
