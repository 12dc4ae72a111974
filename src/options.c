/* Command line and environment -> settings. */
#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const char wi_usage_text[] =
	"Usage: wi-inject [OPTIONS] [FILE]\n"
	"Wire Azure workload identity into Kubernetes manifests: a Helm post-renderer.\n"
	"Reads FILE (standard input when absent or \"-\"), writes standard output.\n"
	"\n"
	"Identity:\n"
	"  --client-id GUID          managed identity's client ID (required)\n"
	"  --tenant-id GUID          also set azure.workload.identity/tenant-id\n"
	"  --token-expiration SECS   also set the token expiration (3600..86400)\n"
	"\n"
	"Targets:\n"
	"  --service-account NAME    ServiceAccount to wire; repeatable\n"
	"                            (default: mxp-controller)\n"
	"  --namespace NS            only objects in NS; repeatable (default: all).\n"
	"                            Objects without metadata.namespace then never match.\n"
	"\n"
	"Behaviour:\n"
	"  -o, --output FILE         write FILE, replaced only on success\n"
	"      --allow-missing       succeed when nothing matches\n"
	"      --log-file FILE       append every message to FILE too\n"
	"  -v, --verbose             print one line per key set\n"
	"  -h, --help                print this help and exit\n"
	"      --version             print the version and exit\n"
	"\n"
	"Environment:\n"
	"  WI_INJECT_CLIENT_ID, WI_INJECT_TENANT_ID   defaults for the options above\n"
	"  WI_INJECT_LOG                              default for --log-file\n"
	"  (AZURE_CLIENT_ID is deliberately ignored: CI systems set it for themselves.)\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  invalid YAML, or a read or write error\n"
	"  2  usage error: a bad or missing option\n"
	"  3  the input held manifests but none that the identity applies to\n";

enum {
	OPT_CLIENT_ID = 256,
	OPT_TENANT_ID,
	OPT_TOKEN_EXPIRATION,
	OPT_SERVICE_ACCOUNT,
	OPT_NAMESPACE,
	OPT_ALLOW_MISSING,
	OPT_LOG_FILE,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{"client-id", required_argument, NULL, OPT_CLIENT_ID},
	{"tenant-id", required_argument, NULL, OPT_TENANT_ID},
	{"token-expiration", required_argument, NULL, OPT_TOKEN_EXPIRATION},
	{"service-account", required_argument, NULL, OPT_SERVICE_ACCOUNT},
	{"namespace", required_argument, NULL, OPT_NAMESPACE},
	{"output", required_argument, NULL, 'o'},
	{"allow-missing", no_argument, NULL, OPT_ALLOW_MISSING},
	{"log-file", required_argument, NULL, OPT_LOG_FILE},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

static int usage_error(char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int usage_error(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -1;
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

int wi_options_parse(struct wi_options *opts, int argc, char **argv, char *msg, size_t msg_size)
{
	const char *client_id = env("WI_INJECT_CLIENT_ID");
	const char *tenant_id = env("WI_INJECT_TENANT_ID");
	long expiration = 0;
	struct wi_identity id;
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->log_file = env("WI_INJECT_LOG");
	wi_identity_init(&id);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:vh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_CLIENT_ID:
			client_id = optarg;
			break;
		case OPT_TENANT_ID:
			tenant_id = optarg;
			break;
		case OPT_TOKEN_EXPIRATION:
			if (!wi_parse_long(optarg, WI_AZURE_EXPIRATION_MIN, WI_AZURE_EXPIRATION_MAX,
				    &expiration)) {
				wi_identity_release(&id);
				return usage_error(msg, msg_size,
					"--token-expiration: \"%s\" is not a number of seconds "
					"from %d to %d", optarg, WI_AZURE_EXPIRATION_MIN,
					WI_AZURE_EXPIRATION_MAX);
			}
			break;
		case OPT_SERVICE_ACCOUNT:
		case OPT_NAMESPACE:
			if (!wi_valid_k8s_name(optarg)) {
				wi_identity_release(&id);
				return usage_error(msg, msg_size, "--%s: \"%s\" is not a valid Kubernetes name",
					c == OPT_NAMESPACE ? "namespace" : "service-account", optarg);
			}
			if (c == OPT_NAMESPACE)
				wi_identity_add_namespace(&id, optarg);
			else
				wi_identity_add_service_account(&id, optarg);
			break;
		case 'o':
			opts->output = optarg;
			break;
		case OPT_ALLOW_MISSING:
			opts->allow_missing = true;
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
			wi_identity_release(&id);
			return usage_error(msg, msg_size, "%s needs a value", argv[optind - 1]);
		default:
			wi_identity_release(&id);
			return usage_error(msg, msg_size, "unknown option %s", argv[optind - 1]);
		}
	}
	if (opts->action != WI_RUN) {
		wi_identity_release(&id);
		return 0;
	}
	if (optind < argc)
		opts->input = argv[optind++];
	if (optind < argc) {
		wi_identity_release(&id);
		return usage_error(msg, msg_size, "unexpected argument \"%s\": one input at most",
			argv[optind]);
	}
	if (!client_id) {
		wi_identity_release(&id);
		return usage_error(msg, msg_size, "--client-id is required (or set WI_INJECT_CLIENT_ID)");
	}
	if (!wi_valid_guid(client_id)) {
		wi_identity_release(&id);
		return usage_error(msg, msg_size, "client ID \"%s\" is not a GUID "
			"(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", client_id);
	}
	if (tenant_id && !wi_valid_guid(tenant_id)) {
		wi_identity_release(&id);
		return usage_error(msg, msg_size, "tenant ID \"%s\" is not a GUID "
			"(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", tenant_id);
	}
	if (id.n_service_accounts == 0)
		wi_identity_add_service_account(&id, WI_DEFAULT_SERVICE_ACCOUNT);
	wi_identity_set_azure(&id, client_id, tenant_id, expiration);
	opts->identities = wi_xmalloc(sizeof(*opts->identities));
	opts->identities[0] = id;
	opts->n_identities = 1;
	return 0;
}
