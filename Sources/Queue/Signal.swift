/// A wake-up call that is never lost: a fire with nobody waiting is kept for the next wait.
actor Signal {
    private var pending = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        if waiters.isEmpty {
            pending = true
        } else {
            let woken = waiters
            waiters = []
            for waiter in woken { waiter.resume() }
        }
    }

    func wait() async {
        if pending {
            pending = false
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }
}
