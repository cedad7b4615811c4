'use strict';
/*
 * The pinned Stripe API emulator (PyPI localstripe, an aiohttp server) that tests and `npm start`
 * use when no STRIPE_SECRET_KEY is configured: one table read by the setup step and by the code
 * that starts it. Its dependencies are pinned too, so a fresh machine installs what was tested.
 */
const path = require('node:path');
const { toolsDir } = require('./temporal-binaries');

const LOCALSTRIPE = {
  pypi: 'localstripe',
  version: '1.15.10',
  folder: 'localstripe',
  envOverride: 'LOCALSTRIPE_PATH',
  /** What pip resolved for localstripe 1.15.10 on Python 3.11 (December 2026). */
  constraints: [
    'aiohappyeyeballs==2.7.1',
    'aiohttp==3.14.5',
    'aiosignal==1.4.0',
    'attrs==26.1.0',
    'frozenlist==1.8.0',
    'idna==3.20',
    'multidict==7.2.1',
    'propcache==0.5.4',
    'python-dateutil==4.0.0',
    'typing_extensions==4.16.0',
    'tzdata==2026.6',
    'yarl==1.25.1',
  ],
};

/** The virtual environment's interpreter; `python -m localstripe` survives the checkout moving (its scripts' shebangs would not). */
const localstripeDir = path.join(toolsDir, LOCALSTRIPE.folder);
const localstripePython = path.join(localstripeDir, 'bin', 'python');
const localstripeStamp = path.join(localstripeDir, `.installed-${LOCALSTRIPE.pypi}-${LOCALSTRIPE.version}`);

module.exports = { LOCALSTRIPE, localstripeDir, localstripePython, localstripeStamp };
