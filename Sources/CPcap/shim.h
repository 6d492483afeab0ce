// libpcap (apt: libpcap-dev): the raw DHCP transport sends whole Ethernet
// frames with pcap_inject, and observe mode and `autoprov capture` read
// DHCP with a BPF filter. Only the core API is used, no pkg-config (Debian's
// libpcap.pc drags in the D-Bus include paths).
#include <pcap/pcap.h>
