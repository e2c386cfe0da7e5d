/** Signers' countries, in turn. Its own module: the load generator uses it without loading the store. */
const countries = ['MA', 'FR', 'ES', 'DE', 'GB', 'KZ', 'SV', 'IT', 'PS', 'TR'];

export const countryFor = (i: number) => countries[i % countries.length]!;
