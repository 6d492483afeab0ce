/// Waits between attempts: `initial` doubling up to `max`, with ±20 % jitter
/// so that phones that failed together do not retry together.
enum Backoff {
    static func delay(attempt: Int, initial: Double, max: Double) -> Double {
        let base = Swift.min(initial * Double(1 << Swift.min(Swift.max(attempt - 1, 0), 20)), max)
        return base * Double.random(in: 0.8...1.2)
    }
}
