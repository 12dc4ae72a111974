/* Command line and environment -> settings. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "config.h"
#include "suggest.h"

/* Numbers in the help text come from the macros that enforce them. */
#define STR_(x) #x
#define STR(x) STR_(x)

const char wi_usage_text[] =
	"Usage: wi-inject [OPTIONS] [FILE]\n"
	"Wire cloud workload identity into Kubernetes manifests: a Helm post-renderer.\n"
	"Reads FILE (standard input when absent or \"-\"), writes standard output.\n"
	"\n"
	"Identity:\n"
	"  --provider azure|aws|gcp      the cloud (default: azure)\n"
	"  --client-id GUID              azure: the managed identity's client ID (required)\n"
	"  --tenant-id GUID              azure: also set the tenant ID\n"
	"  --token-expiration SECONDS    azure: " STR(WI_AZURE_EXPIRATION_MIN) ".." STR(
		WI_AZURE_EXPIRATION_MAX) "; aws: " STR(WI_AWS_EXPIRATION_MIN) ".." STR(
		WI_AWS_EXPIRATION_MAX) "\n"
	"  --role-arn ARN                aws: the IAM role to assume (required)\n"
	"  --audience AUD                aws: the token audience\n"
	"  --sts-regional-endpoints      aws: use the regional STS endpoint\n"
	"  --gcp-service-account EMAIL   gcp: the Google service account (required)\n"
	"  --config FILE                 several identities from a JSON file instead\n"
	"\n"
	"Targets:\n"
	"  --component NAME              backup (mxp-controller), billing (vector) or\n"
	"                                secrets (external-secrets-controller); repeatable\n"
	"  --service-account NAME        any other ServiceAccount; repeatable\n"
	"                                (default, with neither: mxp-controller)\n"
	"  --namespace NS                only objects in NS; repeatable (default: all).\n"
	"                                Objects without metadata.namespace then never match.\n"
	"\n"
	"Behaviour:\n"
	"  -o, --output FILE             write FILE, replaced only on success\n"
	"      --allow-missing           succeed when nothing matches\n"
	"      --no-checksum             no " WI_CHECKSUM_ANNOTATION " annotation on\n"
	"                                pod templates (it makes pods roll when the\n"
	"                                identity changes)\n"
	"      --check                   change nothing; report what the webhook would reject\n"
	"      --report FILE             write a JSON report of edits, findings and the\n"
	"                                federated-credential subjects\n"
	"      --print-values            print the equivalent Spaces chart values; read nothing\n"
	"      --print-trust             read the input, print instead the shell commands that\n"
	"                                make each cloud identity trust the ServiceAccounts\n"
	"      --log-file FILE           append every message to FILE too\n"
	"  -v, --verbose                 print one line per key set\n"
	"  -h, --help                    print this help and exit\n"
	"      --version                 print the version and exit\n"
	"\n"
	"Environment:\n"
	"  WI_INJECT_CLIENT_ID, WI_INJECT_TENANT_ID   defaults for the azure options\n"
	"  WI_INJECT_CONFIG                           default for --config\n"
	"  WI_INJECT_LOG                              default for --log-file\n"
	"  (AZURE_CLIENT_ID is deliberately ignored: CI systems set it for themselves.)\n"
	"\n"
	"Under Helm, give each option its own --post-renderer-args: each is one argument.\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  invalid YAML, or a read or write error\n"
	"  2  usage error: a bad or missing option, or a bad config file\n"
	"  3  the input held manifests but none that an identity applies to;\n"
	"     with --check, also input that holds no objects at all\n"
	"  4  --check found problems\n"
	"  SIGINT, SIGTERM, SIGHUP, and SIGPIPE when the reader of the output goes away,\n"
	"  end the run by that signal (status 128+N in a shell), leaving no file behind.\n";

enum {
	OPT_FIELD = 256, /* + enum wi_field */
	OPT_CONFIG = OPT_FIELD + WI_N_FIELDS,
	OPT_ALLOW_MISSING,
	OPT_NO_CHECKSUM,
	OPT_CHECK,
	OPT_REPORT,
	OPT_PRINT_VALUES,
	OPT_PRINT_TRUST,
	OPT_LOG_FILE,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{"provider", required_argument, NULL, OPT_FIELD + WI_F_PROVIDER},
	{"client-id", required_argument, NULL, OPT_FIELD + WI_F_CLIENT_ID},
	{"tenant-id", required_argument, NULL, OPT_FIELD + WI_F_TENANT_ID},
	{"token-expiration", required_argument, NULL, OPT_FIELD + WI_F_EXPIRATION},
	{"role-arn", required_argument, NULL, OPT_FIELD + WI_F_ROLE_ARN},
	{"audience", required_argument, NULL, OPT_FIELD + WI_F_AUDIENCE},
	{"sts-regional-endpoints", no_argument, NULL, OPT_FIELD + WI_F_STS},
	{"gcp-service-account", required_argument, NULL, OPT_FIELD + WI_F_GCP_SA},
	{"component", required_argument, NULL, OPT_FIELD + WI_F_COMPONENT},
	{"service-account", required_argument, NULL, OPT_FIELD + WI_F_SERVICE_ACCOUNT},
	{"namespace", required_argument, NULL, OPT_FIELD + WI_F_NAMESPACE},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"output", required_argument, NULL, 'o'},
	{"allow-missing", no_argument, NULL, OPT_ALLOW_MISSING},
	{"no-checksum", no_argument, NULL, OPT_NO_CHECKSUM},
	{"check", no_argument, NULL, OPT_CHECK},
	{"report", required_argument, NULL, OPT_REPORT},
	{"print-values", no_argument, NULL, OPT_PRINT_VALUES},
	{"print-trust", no_argument, NULL, OPT_PRINT_TRUST},
	{"log-file", required_argument, NULL, OPT_LOG_FILE},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* How messages name each field on the command line. */
static const char *const option_names[WI_N_FIELDS] = {"--provider", "--client-id",
	"--tenant-id", "--token-expiration", "--role-arn", "--audience",
	"--sts-regional-endpoints", "--gcp-service-account", "--component", "--service-account",
	"--namespace"};

/* Whitespace then "-" inside one argument that is an option: several options in one
 * argument, as `--post-renderer-args "--client-id=G --tenant-id=T"` gives. A value
 * may hold spaces (a path), so only a space in an option's name, or a space then a
 * dash in its value, counts. */
static bool holds_several_options(const char *arg)
{
	size_t name_end = strcspn(arg, "=");

	if (arg[0] != '-' || arg[1] == '\0')
		return false;
	if (arg[1] != '-')
		return arg[2] == ' ' || arg[2] == '\t';
	for (const char *p = arg; *p; p++)
		if ((*p == ' ' || *p == '\t') &&
		    ((size_t)(p - arg) < name_end || p[strspn(p, " \t")] == '-'))
			return true;
	return false;
}

/* "unknown option --client_id", with the nearest long option when one is near. */
static void unknown_option(const char *arg, struct wi_error *err)
{
	const char *names[sizeof(long_options) / sizeof(long_options[0])];
	const char *hint = NULL;
	size_t n = 0, len;

	if (arg[0] == '-' && arg[1] == '-') {
		for (const struct option *o = long_options; o->name; o++)
			names[n++] = o->name;
		len = strcspn(arg + 2, "=");
		/* getopt_long refuses these too, with the same return value. */
		for (size_t i = 0; i < n; i++) {
			if (strlen(names[i]) == len && memcmp(names[i], arg + 2, len) == 0) {
				wi_error_set(err, 0, 0, "--%s takes no value", names[i]);
				return;
			}
		}
		for (size_t i = 0, prefixed = 0; i < n; i++) {
			if (len && strncmp(names[i], arg + 2, len) == 0 && ++prefixed == 2) {
				wi_error_set(err, 0, 0, "option --%.*s is ambiguous: write the whole name",
					(int)len, arg + 2);
				return;
			}
		}
		hint = wi_suggest(arg + 2, len, names, n);
		wi_error_set(err, 0, 0, "unknown option --%.*s%s%s%s", (int)len, arg + 2,
			hint ? "; did you mean --" : "", hint ? hint : "", hint ? "?" : "");
		return;
	}
	wi_error_set(err, 0, 0, "unknown option %s", arg);
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

void wi_options_release(struct wi_options *opts)
{
	for (size_t i = 0; i < opts->n_identities; i++)
		wi_identity_release(&opts->identities[i]);
	free(opts->identities);
	opts->identities = NULL;
	opts->n_identities = 0;
}

static void push(const char ***list, size_t *n, const char *s)
{
	*list = wi_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = s;
}

/* from: where the path came from, for messages: NULL for --config. */
static int load_config(struct wi_options *opts, const char *path, const char *from,
	struct wi_error *err, const char **err_file)
{
	struct wi_buf text = {0};
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = -1;

	*err_file = path;
	if (!f) {
		wi_error_set(err, 0, 0, "cannot read the config%s%s: %s", from ? " named by " : "",
			from ? from : "", strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wi_buf_append(&text, chunk, n);
	if (ferror(f))
		wi_error_set(err, 0, 0, "cannot read the config: %s", strerror(errno));
	else
		rc = wi_config_parse(text.data ? text.data : "", text.len, opts->check,
			&opts->identities, &opts->n_identities, err);
	fclose(f);
	wi_buf_release(&text);
	return rc;
}

int wi_options_parse(struct wi_options *opts, int argc, char **argv, struct wi_error *err,
	const char **err_file)
{
	struct wi_identity_spec spec = {0};
	struct wi_identity id;
	const char *names[WI_N_FIELDS];
	const char *config = NULL, *config_from = NULL;
	const char *identity_option = NULL;
	char why[400];
	int c, rc = -1;

	memset(opts, 0, sizeof(*opts));
	memset(err, 0, sizeof(*err));
	*err_file = NULL;
	opts->checksum = true;
	opts->log_file = env("WI_INJECT_LOG");
	memcpy(names, option_names, sizeof(names));
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (holds_several_options(argv[i])) {
			wi_error_set(err, 0, 0, "\"%s\" holds several arguments in one: under Helm, "
				"each --post-renderer-args carries exactly one argument: give each "
				"option its own, with its value after '='", argv[i]);
			goto out;
		}
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:vh", long_options, NULL)) != -1) {
		if (c >= OPT_FIELD && c < OPT_FIELD + WI_N_FIELDS) {
			enum wi_field f = (enum wi_field)(c - OPT_FIELD);

			identity_option = option_names[f];
			if (f == WI_F_COMPONENT)
				push(&spec.components, &spec.n_components, optarg);
			else if (f == WI_F_SERVICE_ACCOUNT)
				push(&spec.service_accounts, &spec.n_service_accounts, optarg);
			else if (f == WI_F_NAMESPACE)
				push(&spec.namespaces, &spec.n_namespaces, optarg);
			else if (f != WI_F_STS && spec.values[f] && strcmp(spec.values[f], optarg) != 0) {
				/* Which one was meant is anyone's guess; a script that appends
				 * an override should not silently win or lose. */
				wi_error_set(err, 0, 0, "%s given twice, as \"%s\" and as \"%s\": "
					"give it once", option_names[f], spec.values[f], optarg);
				goto out;
			} else
				spec.values[f] = f == WI_F_STS ? "true" : optarg;
			continue;
		}
		switch (c) {
		case OPT_CONFIG:
			if (config && strcmp(config, optarg) != 0) {
				wi_error_set(err, 0, 0, "--config given twice, as \"%s\" and as "
					"\"%s\": give it once", config, optarg);
				goto out;
			}
			config = optarg;
			break;
		case 'o':
			opts->output = optarg;
			break;
		case OPT_ALLOW_MISSING:
			opts->allow_missing = true;
			break;
		case OPT_NO_CHECKSUM:
			opts->checksum = false;
			break;
		case OPT_CHECK:
			opts->check = true;
			break;
		case OPT_REPORT:
			opts->report_file = optarg;
			break;
		case OPT_PRINT_VALUES:
			opts->action = WI_PRINT_VALUES;
			break;
		case OPT_PRINT_TRUST:
			opts->print_trust = true;
			break;
		case OPT_LOG_FILE:
			opts->log_file = optarg;
			break;
		case 'v':
			opts->verbose = true;
			break;
		case 'h':
			opts->action = WI_HELP;
			break;
		case OPT_VERSION:
			opts->action = WI_VERSION;
			break;
		case ':':
			wi_error_set(err, 0, 0, "%s needs a value", argv[optind - 1]);
			goto out;
		default:
			unknown_option(argv[optind - 1], err);
			goto out;
		}
	}
	if (opts->action == WI_HELP || opts->action == WI_VERSION) {
		rc = 0;
		goto out;
	}
	if (optind < argc)
		opts->input = argv[optind++];
	if (optind < argc) {
		wi_error_set(err, 0, 0, "unexpected argument \"%s\": one input at most", argv[optind]);
		goto out;
	}
	if (opts->check && opts->action == WI_PRINT_VALUES) {
		wi_error_set(err, 0, 0, "--check and --print-values do not go together");
		goto out;
	}
	if (opts->print_trust && (opts->check || opts->action == WI_PRINT_VALUES)) {
		wi_error_set(err, 0, 0, "--print-trust and %s do not go together",
			opts->check ? "--check" : "--print-values");
		goto out;
	}
	if (opts->print_trust && opts->report_file) {
		wi_error_set(err, 0, 0, "--report lists the edits of a filter run, and "
				       "--print-trust makes none: run them separately");
		goto out;
	}
	if (opts->output && (opts->check || opts->action == WI_PRINT_VALUES)) {
		wi_error_set(err, 0, 0, "-o has nothing to write with %s",
			opts->check ? "--check, which writes no output" : "--print-values");
		goto out;
	}
	if (opts->input && opts->action == WI_PRINT_VALUES) {
		wi_error_set(err, 0, 0, "--print-values reads no input, but \"%s\" was given",
			opts->input);
		goto out;
	}
	/* The environment's config stands in only for identity options not given. */
	if (!config && !identity_option && (config = env("WI_INJECT_CONFIG")) != NULL)
		config_from = "WI_INJECT_CONFIG";
	if (config) {
		if (identity_option) {
			wi_error_set(err, 0, 0, "%s does not go with --config: the config file "
					       "describes every identity", identity_option);
			goto out;
		}
		rc = load_config(opts, config, config_from, err, err_file);
		goto out;
	}
	/* The environment only stands in for Azure's settings, and only when no
	 * provider-specific setting was given on the command line. */
	if (!spec.values[WI_F_PROVIDER] || strcmp(spec.values[WI_F_PROVIDER], "azure") == 0) {
		/* A bad value is reported under the name it was given by. */
		if (!spec.values[WI_F_CLIENT_ID] &&
		    (spec.values[WI_F_CLIENT_ID] = env("WI_INJECT_CLIENT_ID")) != NULL)
			names[WI_F_CLIENT_ID] = "WI_INJECT_CLIENT_ID";
		if (!spec.values[WI_F_TENANT_ID] &&
		    (spec.values[WI_F_TENANT_ID] = env("WI_INJECT_TENANT_ID")) != NULL)
			names[WI_F_TENANT_ID] = "WI_INJECT_TENANT_ID";
	}
	if (!opts->check && !spec.values[WI_F_CLIENT_ID] &&
	    (!spec.values[WI_F_PROVIDER] || strcmp(spec.values[WI_F_PROVIDER], "azure") == 0)) {
		wi_error_set(err, 0, 0, "--client-id is required (or set WI_INJECT_CLIENT_ID)%s",
			env("AZURE_CLIENT_ID") ? "; AZURE_CLIENT_ID is set but ignored on purpose: "
			"CI systems set it for their own login, and wiring the CI's identity into "
			"the cluster would be a security hole" : "");
		goto out;
	}
	if (wi_identity_build(&spec, opts->check, names, &id, why, sizeof(why)) != 0) {
		wi_error_set(err, 0, 0, "%s", why);
		goto out;
	}
	opts->identities = wi_xmalloc(sizeof(*opts->identities));
	opts->identities[0] = id;
	opts->n_identities = 1;
	rc = 0;
out:
	wi_identity_spec_release(&spec);
	return rc;
}
