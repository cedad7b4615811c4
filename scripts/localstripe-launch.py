"""Starts localstripe with its state in the file named first on the command line.

localstripe keeps its whole store in /tmp/localstripe.pickle, one file for every instance on the
machine: parallel test files would overwrite each other's, and `npm start` would load someone
else's. Here each instance has its own (DATA_DIR for `npm start`, a temporary one for tests),
written to a side file and renamed so a kill mid-write leaves the previous state whole.

Usage: python localstripe-launch.py STATE_FILE [localstripe options: --port N]
"""
import os
import pickle
import sys

from localstripe import resources

state_file = sys.argv.pop(1)


def try_load_from_disk(self):
    try:
        with open(state_file, 'rb') as f:
            old = pickle.load(f)
    except FileNotFoundError:
        return
    self.clear()
    self.update(old)


def dump_to_disk(self):
    partial = state_file + '.partial'
    with open(partial, 'wb') as f:
        pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, state_file)


resources.Store.try_load_from_disk = try_load_from_disk
resources.Store.dump_to_disk = dump_to_disk

from localstripe.server import start  # noqa: E402  (after the patch: it loads the store)

start()
