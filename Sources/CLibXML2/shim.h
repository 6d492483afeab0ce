// The libxml2 headers PhoneAPI and PhoneSim use (apt: libxml2-dev;
// pkg-config: libxml-2.0).
//
// Debian's libxml2 is built with ICU, so <libxml/encoding.h> would pull in
// the system's <unicode/ucnv.h>. A Swift module that also imports Foundation
// then sees two different definitions of ICU's `UErrorCode` (Foundation
// carries its own ICU copy) and a clean build fails. Nothing here uses
// libxml2's ICU converters (only xmlReadMemory and the tree), and the one
// struct whose layout depends on it, xmlCharEncodingHandler, is only ever
// reached through pointers: so its ICU part is left out of this module.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
