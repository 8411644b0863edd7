/** Class names of MNIST: the digits. */
export const DIGIT_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Class names of Fashion-MNIST, in label order. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Class names of Kuzushiji-MNIST (romanised hiragana), in label order. */
export const KMNIST_CLASSES: readonly string[] = ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'];

/** Files a dataset directory may hold to name its classes, one name per line, in label order. */
export const CLASS_NAME_FILES: readonly string[] = ['classes.txt', 'class-names.txt'];

/** Splits the text of a class-name file into names (blank lines and surrounding spaces dropped). */
export function parseClassNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
