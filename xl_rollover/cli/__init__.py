"""The command line, ``xl-rollover``: the top layer, which may import every other one."""
