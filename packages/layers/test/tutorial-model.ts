// The first tutorial's network as a user model class: the one the README shows (readme-example.ts).
export { Net } from './readme-example';
