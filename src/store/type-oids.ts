/** PostgreSQL type OIDs both adapters parse the same way (int8 → bigint, date → 'YYYY-MM-DD'). */
export const INT8_OID = 20;
export const DATE_OID = 1082;
