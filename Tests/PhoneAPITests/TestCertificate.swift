/// A self-signed certificate for 127.0.0.1 (P-256, valid 100 years) and its
/// key, made for these tests only with `openssl req -x509`: phones ship
/// self-signed certificates like it.
enum TestCertificate {
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIBnzCCAUagAwIBAgIURmGUVLIPHTwJWIE3NDRNRfFJF6swCgYIKoZIzj0EAwIw
        HDEaMBgGA1UEAwwRZmFudmlsLXRlc3QtcGhvbmUwIBcNMjYxMTI3MjMzMTIwWhgP
        MjEyNjExMDMyMzMxMjBaMBwxGjAYBgNVBAMMEWZhbnZpbC10ZXN0LXBob25lMFkw
        EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEL0bN20m/4NDidHh3AULeNPJbQGNgCuTP
        o6wEGDGafhnAWQkqWvd2zI1j3X6EO+Emt3igk4PZMngqPcFzCA45JaNkMGIwHQYD
        VR0OBBYEFJW0kDpvREJ19w7yqzz25E7M5jdMMB8GA1UdIwQYMBaAFJW0kDpvREJ1
        9w7yqzz25E7M5jdMMA8GA1UdEwEB/wQFMAMBAf8wDwYDVR0RBAgwBocEfwAAATAK
        BggqhkjOPQQDAgNHADBEAiBHr78DE/LRBVskrFXk4FOlWOmaQDg6aN3ZK5euP/RB
        6QIgQpu7djCatc5LDTEenKx3wluSeClYIbDRaiyZgAu+z68=
        -----END CERTIFICATE-----
        """

    static let privateKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg93x+kHmul3z4EyPF
        CROIm/963MNxQFrcNuu3M2M4vuChRANCAAQvRs3bSb/g0OJ0eHcBQt408ltAY2AK
        5M+jrAQYMZp+GcBZCSpa93bMjWPdfoQ74Sa3eKCTg9kyeCo9wXMIDjkl
        -----END PRIVATE KEY-----
        """
}
