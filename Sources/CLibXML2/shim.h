// The libxml2 headers PhoneAPI uses (apt: libxml2-dev; pkg-config: libxml-2.0).
#include <libxml/parser.h>
#include <libxml/tree.h>
