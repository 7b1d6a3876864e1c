print("maserver: not yet wired")
