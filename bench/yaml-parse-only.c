/* The benchmark's floor: parse standard input with libyaml's event API and nothing
 * else. Any tool that validates every document pays at least this. */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(void)
{
	yaml_parser_t parser;
	yaml_event_t event;
	size_t events = 0;
	int done = 0;

	if (!yaml_parser_initialize(&parser))
		return 1;
	yaml_parser_set_input_file(&parser, stdin);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "yaml-parse-only: %s\n", parser.problem ? parser.problem : "error");
			yaml_parser_delete(&parser);
			return 1;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		events++;
	}
	yaml_parser_delete(&parser);
	fprintf(stderr, "%zu events\n", events);
	return 0;
}
