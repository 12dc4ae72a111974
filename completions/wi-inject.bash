# bash completion for wi-inject(1)                          -*- shell-script -*-
# Installed as share/bash-completion/completions/wi-inject; bash-completion
# loads it the first time wi-inject is completed. Keep the option list in step
# with `wi-inject --help` (tests/docs.sh checks it).

_wi_inject()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # COMP_WORDBREAKS splits "--provider=a" into "--provider" "=" "a".
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    case $prev in
    --provider)
        COMPREPLY=($(compgen -W 'azure aws gcp' -- "$cur"))
        return
        ;;
    --component)
        COMPREPLY=($(compgen -W 'backup billing secrets' -- "$cur"))
        return
        ;;
    --config)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
        return
        ;;
    -o | --output | --report | --log-file)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --client-id | --tenant-id | --token-expiration | --role-arn | --audience | \
        --gcp-service-account | --service-account | --namespace)
        # A value only the user knows.
        COMPREPLY=()
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--provider --client-id --tenant-id
            --token-expiration --role-arn --audience --sts-regional-endpoints
            --gcp-service-account --config --component --service-account
            --namespace -o --output --allow-missing --no-checksum --check
            --report --print-values --print-trust --log-file -v --verbose
            -h --help --version' -- "$cur"))
        return
    fi
    # The input: a rendered manifest stream.
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
} &&
    complete -F _wi_inject wi-inject

# ex: filetype=sh
