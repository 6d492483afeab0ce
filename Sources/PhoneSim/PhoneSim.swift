// Simulated Fanvil phones (issue 5).
