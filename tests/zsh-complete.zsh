# zsh -f zsh-complete.zsh COMPDIR OUT LINE...: for each LINE, types it and a TAB
# into one interactive zsh (under zpty) whose fpath starts with COMPDIR, and
# appends to OUT every candidate the completion system offers, one per line,
# then a line <DONE>. compadd is wrapped to record what completion functions
# add, so nothing depends on how zsh draws the list on its terminal.
zmodload zsh/zpty || exit 1
local compdir=$1 out=$2 line junk
shift 2
: >$out
zpty z zsh -f -i || exit 1
zpty -w z "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"; local ret=$?
  (( $#hits )) && print -rl -- $hits >>'"${(q)out}"'
  builtin compadd "$@"; return ret
}'
zpty -w z 'zstyle ":completion:*" menu no; zstyle ":completion:*" list-prompt ""'
# ^T (not a prefix key, so zle does not wait for more) ends a line's completion.
zpty -w z 'finish() { print -r -- "<DONE>" >>'"${(q)out}"'; zle kill-whole-line }; zle -N finish; bindkey "^T" finish'
integer done=0 i
for line; do
  zpty -w -n z "$line"$'\t\C-t'
  (( done++ ))
  for (( i = 0; i < 200; i++ )); do
    while zpty -rt z junk 2>/dev/null; do :; done   # keep the terminal from filling up
    (( $(grep -c '^<DONE>$' $out) >= done )) && break
    sleep 0.02
  done
  (( i < 200 )) || { zpty -d z; print -u2 "zsh-complete: no answer for: $line"; exit 1; }
done
zpty -d z
