#!/usr/bin/env node
import { main } from '../dist/cli/entry.js';

await main();
