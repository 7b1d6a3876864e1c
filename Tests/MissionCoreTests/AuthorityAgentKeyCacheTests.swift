import Testing
@testable import MissionCore

@Suite struct AgentKeyCacheTests {
    @Test func loadsOnceAndAnswersFromMemory() {
        let cache = AgentKeyCache()
        var loads = 0
        #expect(cache.contains("a") { loads += 1; return ["a"] })
        #expect(!cache.contains("b") { loads += 1; return ["a"] })
        #expect(loads == 1)
    }

    // The race seen under load: a registration commits and invalidates while another request is
    // still loading the old set; that old set must not be cached over the change.
    @Test func aSetLoadedBeforeAnInvalidationIsNotKept() {
        let cache = AgentKeyCache()
        #expect(!cache.contains("new") {
            cache.invalidate()  // the registration lands mid-load
            return ["old"]
        })
        var reloaded = false
        #expect(cache.contains("new") { reloaded = true; return ["old", "new"] })
        #expect(reloaded)
    }
}
