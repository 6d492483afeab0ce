import Testing
@testable import PostProvision
