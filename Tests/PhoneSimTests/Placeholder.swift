import Testing
@testable import PhoneSim
