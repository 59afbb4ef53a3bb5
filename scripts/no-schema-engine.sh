#!/bin/sh
echo "Prisma's native schema engine is not installed here. Apply migrations with: npm run db:migrate" >&2
exit 1
