// The SIP message codec lives in the SIPWire target (shared with autoprov's
// SIP PnP responder); PhoneSim's users keep seeing it through PhoneSim.
@_exported import SIPWire
